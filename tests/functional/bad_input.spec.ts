import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import type { ApiClient } from '@japa/api-client'
import { signup, login, unique, PASSWORD, type SignedUp } from '#tests/helpers'

/*
 * PLATFORM.md section 6, "Bad input": every malformed, mistyped, oversized,
 * unknown or hostile request gets a clear 4xx in the error envelope, writes
 * nothing, and is never a 500. Hostile text that is valid is stored verbatim
 * and answered as JSON data.
 */

const TABLES = [
  'tenants',
  'users',
  'memberships',
  'roles',
  'auth_access_tokens',
  'idempotency_keys',
] as const

async function snapshot() {
  const counts: Record<string, number> = {}
  for (const table of TABLES)
    counts[table] = Number((await db.from(table).count('* as total'))[0].total)
  return counts
}

const INJECTIONS = [
  `'; DROP TABLE users; --`,
  `" OR "1"="1`,
  `1; SELECT pg_sleep(5)--`,
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(1)>`,
  `{{constructor.constructor('alert(1)')()}}`,
  `\u0000null\u0000byte`,
]

type Endpoint = { method: 'post' | 'patch'; url: string; token?: string }

/* These tests send far more than 20 auth requests a minute: the auth rate limit is tested elsewhere. */
async function send(client: ApiClient, endpoint: Endpoint, body: unknown) {
  if (!endpoint.token) await limiter.clear()
  let request = client[endpoint.method](endpoint.url)
  if (endpoint.token) request = request.bearerToken(endpoint.token)
  // superagent sends a string body as it is: the way to send broken JSON
  return request.json(body as object)
}

function assertErrorEnvelope(assert: any, response: any, status: number, context = '') {
  assert.equal(
    response.status(),
    status,
    `${context} ${status} expected, got ${response.status()}: ${response.text()}`
  )
  assert.match(response.header('content-type') ?? '', /^application\/json/)
  const errors = response.body().errors
  assert.isArray(errors)
  assert.isAbove(errors.length, 0)
  for (const error of errors) {
    assert.equal(error.status, String(status))
    assert.isString(error.code)
    assert.isString(error.title)
    assert.isString(error.detail)
  }
  return errors as {
    code: string
    source?: { pointer?: string; parameter?: string }
    detail: string
  }[]
}

const pointers = (errors: { source?: { pointer?: string } }[]) =>
  errors.map((error) => error.source?.pointer)

/* A tenant with an owner, a custom role and a second member to aim at. */
async function world(client: ApiClient) {
  const owner = await signup(client)
  const role = await client
    .post('/api/v1/roles')
    .bearerToken(owner.token)
    .json({ key: `crew_${unique()}`, name: 'Crew', permissions: ['roles.read'] })
  role.assertStatus(201)
  const member = await client
    .post('/api/v1/members')
    .bearerToken(owner.token)
    .json({ email: `crew-${unique()}@example.test`, fullName: 'Crew Member', role: 'worker' })
  member.assertStatus(201)
  return { owner, roleId: role.body().data.id as string, memberId: member.body().data.id as string }
}

function writeEndpoints(owner: SignedUp, roleId: string, memberId: string): Endpoint[] {
  return [
    { method: 'post', url: '/api/v1/signup' },
    { method: 'post', url: '/api/v1/auth/tokens' },
    { method: 'post', url: '/api/v1/roles', token: owner.token },
    { method: 'patch', url: `/api/v1/roles/${roleId}`, token: owner.token },
    { method: 'post', url: '/api/v1/members', token: owner.token },
    { method: 'patch', url: `/api/v1/members/${memberId}`, token: owner.token },
  ]
}

test.group('Bad input: bodies', () => {
  test('malformed JSON answers 400 in the envelope on every write endpoint', async ({
    client,
    assert,
  }) => {
    const { owner, roleId, memberId } = await world(client)
    const before = await snapshot()
    for (const endpoint of writeEndpoints(owner, roleId, memberId)) {
      for (const body of [
        '{"data": {"attributes": {',
        '{email: "a@b.c"}',
        "{'a': 1}",
        '{"a": 1,}',
        'nul',
      ]) {
        const response = await send(client, endpoint, body)
        const [error] = assertErrorEnvelope(
          assert,
          response,
          400,
          `${endpoint.method} ${endpoint.url} ${body}`
        )
        assert.equal(error.code, 'MALFORMED_BODY')
      }
    }
    assert.deepEqual(await snapshot(), before)
  })

  test('JSON that is not an object of attributes answers 4xx, never 500', async ({
    client,
    assert,
  }) => {
    const { owner, roleId, memberId } = await world(client)
    const before = await snapshot()
    const shapes = [
      '[]',
      '[1, 2]',
      '"text"',
      '42',
      'null',
      'true',
      '{"data": "x"}',
      '{"data": []}',
      '{"data": {"attributes": "x"}}',
      '{"data": {"attributes": [1]}}',
      '{"data": {"attributes": null}}',
    ]
    for (const endpoint of writeEndpoints(owner, roleId, memberId)) {
      for (const body of shapes) {
        const response = await send(client, endpoint, body)
        assert.include(
          [400, 422],
          response.status(),
          `${endpoint.method} ${endpoint.url} ${body}: ${response.status()} ${response.text()}`
        )
        assertErrorEnvelope(assert, response, response.status())
      }
    }
    assert.deepEqual(await snapshot(), before)
  })

  test('missing fields answer 422 pointing at each field', async ({ client, assert }) => {
    const { owner, roleId, memberId } = await world(client)
    const before = await snapshot()
    const expectations: [Endpoint, string[]][] = [
      [
        { method: 'post', url: '/api/v1/signup' },
        ['tenantName', 'tenantSlug', 'fullName', 'email', 'password'],
      ],
      [{ method: 'post', url: '/api/v1/auth/tokens' }, ['email', 'password', 'tenant']],
      [
        { method: 'post', url: '/api/v1/roles', token: owner.token },
        ['key', 'name', 'permissions'],
      ],
      [{ method: 'post', url: '/api/v1/members', token: owner.token }, ['email', 'role']],
      [{ method: 'patch', url: `/api/v1/members/${memberId}`, token: owner.token }, ['role']],
    ]
    for (const [endpoint, fields] of expectations) {
      for (const body of [{}, { data: { attributes: {} } }]) {
        const errors = assertErrorEnvelope(assert, await send(client, endpoint, body), 422)
        assert.sameMembers(
          pointers(errors),
          fields.map((field) => `/data/attributes/${field}`),
          endpoint.url
        )
        assert.isTrue(errors.every((error) => error.code === 'VALIDATION_ERROR'))
      }
    }
    // nothing to change is not an error for a PATCH, but it changes nothing either
    const noop = await client.patch(`/api/v1/roles/${roleId}`).bearerToken(owner.token).json({})
    noop.assertStatus(200)
    assert.deepEqual(await snapshot(), before)
  })

  test('wrong types answer 422 pointing at the field', async ({ client, assert }) => {
    const { owner, roleId, memberId } = await world(client)
    const before = await snapshot()
    const good = {
      signup: {
        tenantName: 'Typed',
        tenantSlug: `typed-${unique()}`,
        fullName: 'Ty',
        email: `ty-${unique()}@example.test`,
        password: PASSWORD,
      },
      token: { email: owner.email, password: PASSWORD, tenant: owner.slug },
      role: { key: `typed_${unique()}`, name: 'Typed', permissions: ['roles.read'] },
      member: { email: `typed-${unique()}@example.test`, fullName: 'Typed', role: 'worker' },
    }
    const wrong: unknown[] = [123, true, null, ['x'], { nested: 'x' }, 1.5]
    const cases: [Endpoint, Record<string, unknown>][] = [
      [{ method: 'post', url: '/api/v1/signup' }, good.signup],
      [{ method: 'post', url: '/api/v1/auth/tokens' }, good.token],
      [{ method: 'post', url: '/api/v1/roles', token: owner.token }, good.role],
      [
        { method: 'patch', url: `/api/v1/roles/${roleId}`, token: owner.token },
        { name: 'Renamed', permissions: ['roles.read'] },
      ],
      [{ method: 'post', url: '/api/v1/members', token: owner.token }, good.member],
      [
        { method: 'patch', url: `/api/v1/members/${memberId}`, token: owner.token },
        { role: 'worker' },
      ],
    ]
    for (const [endpoint, valid] of cases) {
      for (const field of Object.keys(valid)) {
        for (const value of wrong) {
          // a number or boolean is a fine string for VineJS only where the field is not a string at all
          if (field === 'permissions' && Array.isArray(value)) continue
          // VineJS reads null as "absent" for optional fields: a PATCH with null changes nothing (checked below)
          if (value === null && endpoint.url.startsWith('/api/v1/roles/')) continue
          const body = { data: { attributes: { ...valid, [field]: value } } }
          const response = await send(client, endpoint, body)
          const context = `${endpoint.method} ${endpoint.url} ${field}=${JSON.stringify(value)}`
          const errors = assertErrorEnvelope(assert, response, 422, context)
          assert.include(pointers(errors), `/data/attributes/${field}`, context)
        }
      }
    }
    // an array of the wrong things is wrong too
    const badPermissions = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .json({ ...good.role, permissions: [1, { a: 1 }] })
    assert.includeMembers(pointers(assertErrorEnvelope(assert, badPermissions, 422)), [
      '/data/attributes/permissions/0',
      '/data/attributes/permissions/1',
    ])
    const unknownPermission = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .json({ ...good.role, permissions: ['no.such.permission'] })
    assert.include(
      pointers(assertErrorEnvelope(assert, unknownPermission, 422)),
      '/data/attributes/permissions/0'
    )
    const unchanged = await client.get(`/api/v1/roles/${roleId}`).bearerToken(owner.token)
    assert.equal(unchanged.body().data.attributes.name, 'Crew')
    assert.deepEqual(await snapshot(), before)
  })

  test('bodies over 100 kB answer 413 and write nothing', async ({ client, assert }) => {
    const { owner } = await world(client)
    const before = await snapshot()
    const huge = 'x'.repeat(150 * 1024)
    const endpoints: Endpoint[] = [
      { method: 'post', url: '/api/v1/signup' },
      { method: 'post', url: '/api/v1/auth/tokens' },
      { method: 'post', url: '/api/v1/roles', token: owner.token },
      { method: 'post', url: '/api/v1/members', token: owner.token },
    ]
    for (const endpoint of endpoints) {
      const response = await send(client, endpoint, {
        data: { attributes: { tenantName: huge, name: huge, email: huge } },
      })
      const [error] = assertErrorEnvelope(assert, response, 413)
      assert.equal(error.code, 'PAYLOAD_TOO_LARGE')
    }
    // just under the limit is parsed, then refused by the field limits
    const big = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .json({ key: 'big_one', name: 'y'.repeat(90 * 1024), permissions: [] })
    assert.include(pointers(assertErrorEnvelope(assert, big, 422)), '/data/attributes/name')
    assert.deepEqual(await snapshot(), before)
  })

  test('unsupported content types are not read as JSON', async ({ client, assert }) => {
    const before = await snapshot()
    const request = client.post('/api/v1/signup').type('text/plain')
    request.request.send(
      JSON.stringify({
        tenantName: 'Plain',
        tenantSlug: `plain-${unique()}`,
        fullName: 'P',
        email: `p-${unique()}@example.test`,
        password: PASSWORD,
      })
    )
    const response = await request
    assert.equal(response.status(), 422)
    assertErrorEnvelope(assert, response, 422)
    assert.deepEqual(await snapshot(), before)
  })
})

test.group('Bad input: identities', () => {
  test('an unknown tenant slug answers 404 and issues no token', async ({ client, assert }) => {
    const owner = await signup(client)
    const before = await snapshot()
    const response = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, tenant: `nope-${unique()}` })
    const [error] = assertErrorEnvelope(assert, response, 404)
    assert.equal(error.code, 'TENANT_NOT_FOUND')
    assert.deepEqual(await snapshot(), before)
  })

  test('expired and revoked tokens answer 401 on every kernel endpoint and change nothing', async ({
    client,
    assert,
  }) => {
    const { owner, roleId, memberId } = await world(client)
    const expired = await login(client, owner.email, owner.slug)
    const revoked = await login(client, owner.email, owner.slug)
    ;(await client.delete('/api/v1/auth/tokens/current').bearerToken(revoked)).assertStatus(204)
    // the newest token is the one that expires
    const newest = await db
      .from('auth_access_tokens')
      .where('tokenable_id', owner.ownerId)
      .orderBy('id', 'desc')
      .firstOrFail()
    await db
      .from('auth_access_tokens')
      .where('id', newest.id)
      .update({ expires_at: new Date(Date.now() - 1000) })
    void expired

    const before = await snapshot()
    const calls: [string, string, object?][] = [
      ['get', '/api/v1/me'],
      ['get', '/api/v1/roles'],
      ['post', '/api/v1/roles', { key: `k_${unique()}`, name: 'K', permissions: [] }],
      ['patch', `/api/v1/roles/${roleId}`, { name: 'Hijacked' }],
      ['delete', `/api/v1/roles/${roleId}`],
      ['get', '/api/v1/members'],
      [
        'post',
        '/api/v1/members',
        { email: `x-${unique()}@example.test`, fullName: 'X', role: 'worker' },
      ],
      ['patch', `/api/v1/members/${memberId}`, { role: 'admin' }],
      ['delete', `/api/v1/members/${memberId}`],
      ['delete', '/api/v1/auth/tokens/current'],
    ]
    const expiredToken = await db.from('auth_access_tokens').where('id', newest.id).firstOrFail()
    assert.isBelow(new Date(expiredToken.expires_at).getTime(), Date.now())
    for (const token of [revoked, expired]) {
      for (const [method, url, body] of calls) {
        let request = (client as any)[method](url).bearerToken(token)
        if (body) request = request.json(body)
        const [error] = assertErrorEnvelope(assert, await request, 401)
        assert.equal(error.code, 'UNAUTHENTICATED', `${method} ${url}`)
      }
    }
    assert.deepEqual(await snapshot(), before)
    const role = await client.get(`/api/v1/roles/${roleId}`).bearerToken(owner.token)
    assert.equal(role.body().data.attributes.name, 'Crew')
  })

  test('malformed bearer tokens answer 401', async ({ client, assert }) => {
    for (const token of [
      '',
      'plt_',
      'plt_x.y',
      'not-a-token',
      `plt_${'a'.repeat(5000)}`,
      "plt_1'; DROP TABLE users; --.abc",
      'plt_99999999999999999999.abc',
    ]) {
      const response = await client.get('/api/v1/me').header('Authorization', `Bearer ${token}`)
      assertErrorEnvelope(assert, response, 401)
    }
    const basic = await client.get('/api/v1/me').header('Authorization', 'Basic dXNlcjpwYXNz')
    assertErrorEnvelope(assert, basic, 401)
  })

  test('ids that are not numbers, or out of range, answer 404', async ({ client, assert }) => {
    const { owner } = await world(client)
    for (const id of [
      'abc',
      '1.5',
      '-1',
      '99999999999999999999',
      '9223372036854775808',
      "1'%20OR%20'1'='1",
    ]) {
      for (const resource of ['roles', 'members']) {
        const response = await client.get(`/api/v1/${resource}/${id}`).bearerToken(owner.token)
        assertErrorEnvelope(assert, response, 404)
      }
    }
  })
})

test.group('Bad input: injection strings', () => {
  test('signup: hostile text is refused by the field rules or stored verbatim, never a 500', async ({
    client,
    assert,
  }) => {
    for (const evil of INJECTIONS) {
      const id = unique()
      const fields = {
        tenantName: `Acme ${id}`,
        tenantSlug: `inj-${id}`,
        fullName: `Ada ${id}`,
        email: `inj-${id}@example.test`,
        password: PASSWORD,
      }
      for (const field of Object.keys(fields) as (keyof typeof fields)[]) {
        const before = await snapshot()
        const attributes = {
          ...fields,
          tenantSlug: `inj-${unique()}`,
          email: `inj-${unique()}@example.test`,
          [field]: evil,
        }
        await limiter.clear()
        const response = await client.post('/api/v1/signup').json({ data: { attributes } })
        assert.match(response.header('content-type') ?? '', /^application\/json/)
        if (response.status() === 201) {
          const body = response.body()
          if (field === 'tenantName') assert.equal(body.data.attributes.name, evil.trim())
          if (field === 'fullName') assert.equal(body.meta.owner.attributes.fullName, evil.trim())
          // the stored text comes back exactly, as JSON data
          const me = await client.get('/api/v1/me').bearerToken(body.meta.token.value)
          if (field === 'fullName') assert.equal(me.body().data.attributes.fullName, evil.trim())
          if (field === 'tenantName')
            assert.equal(me.body().meta.tenant.attributes.name, evil.trim())
        } else {
          const errors = assertErrorEnvelope(assert, response, 422)
          assert.include(pointers(errors), `/data/attributes/${field}`, `${field}=${evil}`)
          assert.deepEqual(await snapshot(), before)
        }
        assert.notInclude(
          ['tenantSlug', 'email'],
          response.status() === 201 ? field : '',
          `${field} accepted ${evil}`
        )
      }
    }
  })

  test('token exchange: hostile text is refused cleanly', async ({ client, assert }) => {
    const owner = await signup(client)
    const before = await snapshot()
    for (const evil of INJECTIONS) {
      for (const field of ['email', 'password', 'tenant', 'otp', 'name']) {
        const body = {
          email: owner.email,
          password: 'not-the-password',
          tenant: owner.slug,
          [field]: evil,
        }
        await limiter.clear()
        const response = await client.post('/api/v1/auth/tokens').json(body)
        assert.include(
          [401, 404, 422],
          response.status(),
          `${field}=${evil}: ${response.status()} ${response.text()}`
        )
        assertErrorEnvelope(assert, response, response.status())
      }
      // the lockout must not trip on this test's failures: clear it between rounds
      await db
        .from('users')
        .where('email', owner.email)
        .update({ failed_login_count: 0, locked_until: null })
    }
    assert.deepEqual(await snapshot(), before)
  })

  test('roles and members: hostile text is refused or stored verbatim and answered as data', async ({
    client,
    assert,
  }) => {
    const { owner, roleId, memberId } = await world(client)
    for (const evil of INJECTIONS) {
      // refused: keys, emails, permissions and role references have strict shapes
      let before = await snapshot()
      for (const [url, body, field] of [
        ['/api/v1/roles', { key: evil, name: 'N', permissions: [] }, 'key'],
        [
          '/api/v1/roles',
          { key: `ok_${unique()}`, name: 'N', permissions: [evil] },
          'permissions/0',
        ],
        ['/api/v1/members', { email: evil, fullName: 'N', role: 'worker' }, 'email'],
        [
          '/api/v1/members',
          { email: `e-${unique()}@example.test`, fullName: 'N', role: evil },
          'role',
        ],
      ] as const) {
        const response = await client.post(url).bearerToken(owner.token).json(body)
        const errors = assertErrorEnvelope(assert, response, 422)
        assert.include(pointers(errors), `/data/attributes/${field}`, `${url} ${field}=${evil}`)
      }
      const patchRole = await client
        .patch(`/api/v1/members/${memberId}`)
        .bearerToken(owner.token)
        .json({ role: evil })
      assert.include(pointers(assertErrorEnvelope(assert, patchRole, 422)), '/data/attributes/role')
      assert.deepEqual(await snapshot(), before)

      if (evil.includes('\u0000')) {
        // NUL cannot be stored by PostgreSQL (and SQLite cuts text at it): refused everywhere alike
        const refused = await client
          .post('/api/v1/roles')
          .bearerToken(owner.token)
          .json({ key: `nul_${unique()}`, name: evil, permissions: [] })
        assert.include(pointers(assertErrorEnvelope(assert, refused, 422)), '/data/attributes/name')
        const nested = await client
          .post('/api/v1/roles')
          .bearerToken(owner.token)
          .json({ key: `nul_${unique()}`, name: 'N', permissions: ['roles.read', evil] })
        assert.include(
          pointers(assertErrorEnvelope(assert, nested, 422)),
          '/data/attributes/permissions/1'
        )
        assert.deepEqual(await snapshot(), before)
        continue
      }

      // stored verbatim: names are free text
      const created = await client
        .post('/api/v1/roles')
        .bearerToken(owner.token)
        .json({ key: `evil_${unique()}`, name: evil, permissions: [] })
      created.assertStatus(201)
      assert.equal(created.body().data.attributes.name, evil.trim())
      const renamed = await client
        .patch(`/api/v1/roles/${roleId}`)
        .bearerToken(owner.token)
        .json({ name: evil })
      renamed.assertStatus(200)
      const shown = await client.get(`/api/v1/roles/${roleId}`).bearerToken(owner.token)
      assert.match(shown.header('content-type') ?? '', /^application\/json/)
      assert.equal(shown.body().data.attributes.name, evil.trim())

      before = await snapshot()
      const invited = await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: `evil-${unique()}@example.test`, fullName: evil, role: 'worker' })
      invited.assertStatus(201)
      assert.equal(invited.body().data.attributes.fullName, evil.trim())
      const listed = await client
        .get('/api/v1/members')
        .bearerToken(owner.token)
        .qs({ filter: { role: 'worker' }, limit: 100 })
      assert.include(
        listed.body().data.map((m: any) => m.attributes.fullName),
        evil.trim()
      )
      assert.equal((await snapshot()).memberships, before.memberships + 1)
    }
  })

  test('list search and filters treat hostile text as plain text', async ({ client, assert }) => {
    const { owner } = await world(client)
    for (const evil of INJECTIONS) {
      for (const url of ['/api/v1/roles', '/api/v1/members', '/api/v1/audit-log']) {
        const search = await client.get(url).bearerToken(owner.token).qs({ search: evil })
        assert.include([200, 400], search.status(), `${url} search=${evil}: ${search.text()}`)
        if (search.status() === 200)
          assert.equal(search.body().meta.total, 0, `${url} search=${evil}`)
        else assert.equal(assertErrorEnvelope(assert, search, 400)[0].source?.parameter, 'search')
      }
      const filtered = await client
        .get('/api/v1/members')
        .bearerToken(owner.token)
        .qs({ filter: { role: evil } })
      if (evil.includes('\u0000')) {
        assert.equal(
          assertErrorEnvelope(assert, filtered, 400)[0].source?.parameter,
          'filter[role]'
        )
      } else {
        filtered.assertStatus(200)
        assert.equal(filtered.body().meta.total, 0)
      }
    }
    // LIKE wildcards are literal
    const wildcard = await client.get('/api/v1/roles').bearerToken(owner.token).qs({ search: '%' })
    wildcard.assertStatus(200)
    assert.equal(wildcard.body().meta.total, 0)
  })
})

test.group('Bad input: list parameters', () => {
  test('bad page, limit, sort, filter and search answer 400 naming the parameter', async ({
    client,
    assert,
  }) => {
    const { owner } = await world(client)
    const cases: [string, string][] = [
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['page=abc', 'page'],
      ['page=1.5', 'page'],
      ['page[]=1', 'page'],
      ['page=99999999999999999999999', 'page'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['limit[a]=1', 'limit'],
      ['sort=password', 'sort'],
      ['sort=-', 'sort'],
      ['sort=name,', 'sort'],
      ['sort=name;DROP TABLE users', 'sort'],
      ['filter=worker', 'filter'],
      ['filter[password]=x', 'filter[password]'],
      ['filter[role][x]=1', 'filter[role]'],
      [`search=${'s'.repeat(201)}`, 'search'],
      ['search[a]=b', 'search'],
      ['page=1,2', 'page'],
      ['page=1e3', 'page'],
      ['page=1000001', 'page'],
      ['limit=-5', 'limit'],
    ]
    const wrong: string[] = []
    for (const url of ['/api/v1/members', '/api/v1/roles', '/api/v1/audit-log']) {
      for (const [qs, parameter] of cases) {
        const response = await client.get(`${url}?${qs}`).bearerToken(owner.token)
        const error = response.body().errors?.[0]
        if (
          response.status() !== 400 ||
          error?.code !== 'INVALID_QUERY_PARAMETER' ||
          error?.source?.parameter !== parameter
        ) {
          wrong.push(
            `${url}?${qs} -> ${response.status()} ${JSON.stringify(error?.source ?? null)}`
          )
        } else {
          assertErrorEnvelope(assert, response, 400)
        }
      }
    }
    assert.deepEqual(wrong, [])
  })

  test('a page past the end is an empty page, not an error', async ({ client, assert }) => {
    const { owner } = await world(client)
    const response = await client.get('/api/v1/members?page=50&limit=10').bearerToken(owner.token)
    response.assertStatus(200)
    assert.deepEqual(response.body().data, [])
    assert.equal(response.body().meta.page, 50)
    assert.equal(response.body().meta.total, 2)
  })
})
