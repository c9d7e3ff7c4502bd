import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describedRoutes } from '#http/openapi/route_docs'
import { documentedMethods, isApiRoute, toOpenApiPath } from '#http/openapi/document'
import { signupValidator } from '#auth/validators/signup_validator'
import { createRoleValidator } from '#rbac/validators/role_validator'

/* Every /api/v1 route the router serves, as "METHOD /path" (HEAD is implied by GET). */
function registeredApiRoutes() {
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => isApiRoute(route.pattern))
    .flatMap((route) => documentedMethods(route).map((method) => ({ method, route })))
}

const middlewareNames = (route: ReturnType<typeof registeredApiRoutes>[number]['route']) =>
  [...route.middleware.all()].map((entry: any) => entry.name as string)

test.group('OpenAPI document', () => {
  test('is a valid OpenAPI 3.1 document with resolvable references', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json')
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /^application\/json/)
    const document = response.body()
    assert.equal(document.openapi, '3.1.0')

    const validator = new Validator()
    const result = await validator.validate(document)
    assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 2))
    assert.isTrue(result.valid)
    assert.equal(validator.version, '3.1')
    assert.doesNotThrow(() => validator.resolveRefs())
  })

  test('lists every registered /api/v1 route, and every one of them is described', async ({
    client,
    assert,
  }) => {
    const { paths } = (await client.get('/api/v1/openapi.json')).body()
    const routes = registeredApiRoutes()
    assert.isAbove(routes.length, 10)

    const described = new Set(
      describedRoutes.flatMap((route) => {
        const json = route.toJSON()
        return json.methods.map((method) => `${method} ${json.pattern}`)
      })
    )
    for (const { method, route } of routes) {
      const operation = paths[toOpenApiPath(route.pattern)]?.[method.toLowerCase()]
      assert.exists(operation, `${method} ${route.pattern} is missing from the OpenAPI paths`)
      assert.isTrue(
        described.has(`${method} ${route.pattern}`),
        `${method} ${route.pattern} has no .describe() doc`
      )
      assert.notProperty(operation, 'x-undocumented')
      assert.isString(operation.summary)
      assert.lengthOf(operation.tags, 1)
    }

    // and nothing documented that the router does not serve
    const served = new Set(
      routes.map(({ method, route }) => `${method.toLowerCase()} ${toOpenApiPath(route.pattern)}`)
    )
    for (const [path, operations] of Object.entries<Record<string, unknown>>(paths)) {
      for (const method of Object.keys(operations))
        assert.isTrue(served.has(`${method} ${path}`), `${method} ${path}`)
    }
  })

  test('request bodies come from the validators, in the data envelope or flat', async ({
    client,
    assert,
  }) => {
    const document = (await client.get('/api/v1/openapi.json')).body()
    const signup = document.paths['/api/v1/signup'].post
    const body = signup.requestBody.content['application/json'].schema
    const [enveloped, flat] = body.anyOf
    const attributesRef = enveloped.properties.data.properties.attributes.$ref
    assert.equal(flat.$ref, attributesRef)
    const name = attributesRef.replace('#/components/schemas/', '')
    assert.deepEqual(document.components.schemas[name], signupValidator.toJSONSchema())
    assert.includeMembers(document.components.schemas[name].required, [
      'email',
      'password',
      'tenantSlug',
    ])

    const createRole = document.paths['/api/v1/roles'].post
    const roleRef = createRole.requestBody.content['application/json'].schema.anyOf[1].$ref
    assert.deepEqual(
      document.components.schemas[roleRef.replace('#/components/schemas/', '')],
      createRoleValidator.toJSONSchema()
    )
  })

  test('security, permissions, parameters and responses follow the route docs', async ({
    client,
    assert,
  }) => {
    const { paths, components } = (await client.get('/api/v1/openapi.json')).body()

    const signup = paths['/api/v1/signup'].post
    assert.deepEqual(signup.security, [])
    assert.property(signup.responses, '201')
    assert.deepInclude(signup.parameters, { $ref: '#/components/parameters/IdempotencyKey' })
    assert.property(signup.responses, '429')
    assert.property(signup.responses['201'].headers, 'X-RateLimit-Reset')

    const createRole = paths['/api/v1/roles'].post
    assert.deepEqual(createRole.security, [{ bearerAuth: [] }])
    assert.equal(createRole['x-permission'], 'roles.write')
    assert.includeMembers(Object.keys(createRole.responses), [
      '201',
      '401',
      '403',
      '409',
      '422',
      '429',
    ])
    assert.equal(
      createRole.responses['201'].content['application/json'].schema.properties.data.properties.type
        .const,
      'role'
    )

    const listRoles = paths['/api/v1/roles'].get
    const listParams = listRoles.parameters.map((p: { $ref: string }) => p.$ref.split('/').pop())
    assert.includeMembers(listParams, ['page', 'limit', 'sort', 'filter', 'search'])
    const listSchema = listRoles.responses['200'].content['application/json'].schema
    assert.equal(listSchema.properties.meta.$ref, '#/components/schemas/ListMeta')
    assert.equal(listSchema.properties.links.$ref, '#/components/schemas/ListLinks')
    assert.notDeepInclude(listRoles.parameters, { $ref: '#/components/parameters/IdempotencyKey' })

    const showRole = paths['/api/v1/roles/{id}'].get
    assert.deepInclude(showRole.parameters, {
      name: 'id',
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: '^[0-9]{1,15}$' },
    })
    assert.property(showRole.responses, '404')

    assert.property(paths['/api/v1/roles/{id}'].delete.responses, '204')
    assert.equal(
      components.responses.Error422.content['application/json'].schema.$ref,
      '#/components/schemas/ErrorDocument'
    )
    assert.deepEqual(components.schemas.ErrorDocument.properties.errors.items, {
      $ref: '#/components/schemas/Error',
    })
    assert.deepEqual(components.securitySchemes.bearerAuth, {
      ...components.securitySchemes.bearerAuth,
      type: 'http',
      scheme: 'bearer',
    })
  })

  test('is public and served from the per-process cache', async ({ client, assert }) => {
    const first = await client.get('/api/v1/openapi.json')
    const second = await client.get('/api/v1/openapi.json').bearerToken('plt_not.a.token')
    first.assertStatus(200)
    second.assertStatus(200)
    assert.equal(first.text(), second.text())
  })

  test('every POST route runs the idempotency middleware after authentication and rate limiting', ({
    assert,
  }) => {
    const posts = registeredApiRoutes().filter(({ method }) => method === 'POST')
    assert.isAbove(posts.length, 3)
    for (const { route } of posts) {
      const names = middlewareNames(route)
      const idempotency = names.indexOf('idempotency')
      assert.isAtLeast(idempotency, 0, `${route.pattern} has no idempotency middleware`)
      const auth = names.indexOf('apiAuth')
      if (auth >= 0)
        assert.isAbove(idempotency, auth, `${route.pattern}: idempotency runs before auth`)
      const throttle = names.findIndex((name) => /Throttle$/.test(name ?? ''))
      if (throttle >= 0)
        assert.isAbove(
          idempotency,
          throttle,
          `${route.pattern}: idempotency runs before the rate limit`
        )
    }
  })
})
