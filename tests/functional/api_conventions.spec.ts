import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { requestHash } from '#http/idempotency'
import { signup, unique, PASSWORD } from '#tests/helpers'

const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number((await db.from(table).where(where).count('* as total'))[0].total)

const roleBody = (key: string, name = 'Dispatch lead') => ({
  data: { attributes: { key, name, permissions: ['roles.read'] } },
})

test.group('Idempotency-Key', () => {
  test('a retry with the same key replays the first answer and does not act twice', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const key = `create-role-${unique()}`
    const body = roleBody(`lead_${unique()}`)

    const first = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json(body)
    first.assertStatus(201)
    assert.isUndefined(first.header('idempotent-replayed'))

    const retry = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json(body)
    retry.assertStatus(201)
    assert.equal(retry.header('idempotent-replayed'), 'true')
    assert.deepEqual(retry.body(), first.body())

    assert.equal(await count('roles', { key: body.data.attributes.key }), 1)
    assert.equal(
      await count('audit_logs', { action: 'role.created', subject_id: first.body().data.id }),
      1
    )
  })

  test('key order in the JSON body does not make a different request', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const key = `k-${unique()}`
    const roleKey = `ordered_${unique()}`
    const first = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json({ data: { attributes: { key: roleKey, name: 'Ordered', permissions: [] } } })
    first.assertStatus(201)
    const retry = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json({ data: { attributes: { permissions: [], name: 'Ordered', key: roleKey } } })
    assert.equal(retry.header('idempotent-replayed'), 'true')
    assert.equal(retry.body().data.id, first.body().data.id)
  })

  test('the same key with a different request is refused and writes nothing', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const key = `k-${unique()}`
    ;(
      await client
        .post('/api/v1/roles')
        .bearerToken(owner.token)
        .header('Idempotency-Key', key)
        .json(roleBody(`a_${unique()}`))
    ).assertStatus(201)
    const before = await count('roles')

    const other = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json(roleBody(`b_${unique()}`))
    other.assertStatus(422)
    assert.equal(other.body().errors[0].code, 'IDEMPOTENCY_KEY_REUSED')
    assert.deepEqual(other.body().errors[0].source, { header: 'Idempotency-Key' })
    assert.equal(await count('roles'), before)

    // another endpoint is another request too
    const elsewhere = await client
      .post('/api/v1/members')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json({ email: `m-${unique()}@example.test`, fullName: 'M', role: 'worker' })
    elsewhere.assertStatus(422)
    assert.equal(elsewhere.body().errors[0].code, 'IDEMPOTENCY_KEY_REUSED')
  })

  test('public POSTs are idempotent per client: a retried signup creates one tenant and replays the token', async ({
    client,
    assert,
  }) => {
    const id = unique()
    const body = {
      data: {
        attributes: {
          tenantName: `Idem ${id}`,
          tenantSlug: `idem-${id}`,
          fullName: 'Ida',
          email: `ida-${id}@example.test`,
          password: PASSWORD,
        },
      },
    }
    const key = `signup-${id}`
    const first = await client.post('/api/v1/signup').header('Idempotency-Key', key).json(body)
    first.assertStatus(201)
    const retry = await client.post('/api/v1/signup').header('Idempotency-Key', key).json(body)
    retry.assertStatus(201)
    assert.equal(retry.header('idempotent-replayed'), 'true')
    assert.deepEqual(retry.body(), first.body())
    assert.equal(await count('tenants', { slug: `idem-${id}` }), 1)
    ;(await client.get('/api/v1/me').bearerToken(retry.body().meta.token.value)).assertStatus(200)

    // the stored answer holds a token: it is encrypted at rest
    const row = await db.from('idempotency_keys').where('key', key).firstOrFail()
    assert.notInclude(row.response_body, first.body().meta.token.value)
    assert.notInclude(row.response_body, `idem-${id}`)
  })

  test('keys belong to the token’s user and tenant', async ({ client, assert }) => {
    const a = await signup(client)
    const b = await signup(client)
    const key = `shared-${unique()}`
    const roleKey = `same_${unique()}`
    const inA = await client
      .post('/api/v1/roles')
      .bearerToken(a.token)
      .header('Idempotency-Key', key)
      .json(roleBody(roleKey))
    const inB = await client
      .post('/api/v1/roles')
      .bearerToken(b.token)
      .header('Idempotency-Key', key)
      .json(roleBody(roleKey))
    inA.assertStatus(201)
    inB.assertStatus(201)
    assert.isUndefined(inB.header('idempotent-replayed'))
    assert.notEqual(inA.body().data.id, inB.body().data.id)
    assert.equal(await count('roles', { key: roleKey }), 2)
  })

  test('error answers are replayed too; a request refused before the handler keeps no key', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const key = `bad-${unique()}`
    const invalid = { data: { attributes: { key: 'X', name: '' } } }
    const first = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json(invalid)
    first.assertStatus(422)
    const retry = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json(invalid)
    retry.assertStatus(422)
    assert.equal(retry.header('idempotent-replayed'), 'true')
    assert.deepEqual(retry.body(), first.body())

    // unauthenticated: refused by auth, before any key is claimed
    const anonymousKey = `anon-${unique()}`
    ;(
      await client
        .post('/api/v1/roles')
        .header('Idempotency-Key', anonymousKey)
        .json(roleBody('x_y'))
    ).assertStatus(401)
    assert.equal(await count('idempotency_keys', { key: anonymousKey }), 0)
  })

  test('a duplicate sent while the first is in flight answers 409', async ({ client, assert }) => {
    const owner = await signup(client)
    const me = await client.get('/api/v1/me').bearerToken(owner.token)
    const scope = `user:${me.body().data.id}:tenant:${owner.tenantId}`
    const key = `inflight-${unique()}`
    const body = roleBody(`flight_${unique()}`)
    // the first request has claimed the key and not answered yet
    await db.table('idempotency_keys').insert({
      scope,
      key,
      request_hash: requestHash('POST', '/api/v1/roles', body),
      created_at: new Date(),
    })
    const duplicate = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json(body)
    duplicate.assertStatus(409)
    assert.equal(duplicate.body().errors[0].code, 'IDEMPOTENCY_REQUEST_IN_PROGRESS')
    assert.equal(duplicate.header('retry-after'), '1')
    assert.equal(await count('roles', { key: body.data.attributes.key }), 0)
  })

  test('concurrent duplicates act once', async ({ client, assert }) => {
    const owner = await signup(client)
    const key = `race-${unique()}`
    const body = roleBody(`race_${unique()}`)
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        client
          .post('/api/v1/roles')
          .bearerToken(owner.token)
          .header('Idempotency-Key', key)
          .json(body)
      )
    )
    const fresh = answers.filter(
      (r) => r.status() === 201 && r.header('idempotent-replayed') === undefined
    )
    assert.lengthOf(fresh, 1)
    for (const answer of answers) {
      if (answer.status() === 409)
        assert.equal(answer.body().errors[0].code, 'IDEMPOTENCY_REQUEST_IN_PROGRESS')
      else assert.equal(answer.body().data.id, fresh[0].body().data.id)
    }
    assert.equal(await count('roles', { key: body.data.attributes.key }), 1)
  })

  test('keys expire after 24 hours', async ({ client, assert }) => {
    const owner = await signup(client)
    const me = await client.get('/api/v1/me').bearerToken(owner.token)
    const key = `old-${unique()}`
    await db.table('idempotency_keys').insert({
      scope: `user:${me.body().data.id}:tenant:${owner.tenantId}`,
      key,
      request_hash: 'f'.repeat(64),
      status_code: 201,
      response_body: null,
      created_at: new Date(Date.now() - 25 * 60 * 60 * 1000),
    })
    const response = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', key)
      .json(roleBody(`fresh_${unique()}`))
    response.assertStatus(201)
    assert.isUndefined(response.header('idempotent-replayed'))
  })

  test('an invalid key answers 400 naming the header', async ({ client, assert }) => {
    const owner = await signup(client)
    const before = await count('roles')
    for (const key of ['x'.repeat(256), 'caf\u00e9-key']) {
      const response = await client
        .post('/api/v1/roles')
        .bearerToken(owner.token)
        .header('Idempotency-Key', key)
        .json(roleBody(`inv_${unique()}`))
      response.assertStatus(400)
      assert.equal(response.body().errors[0].code, 'IDEMPOTENCY_KEY_INVALID')
      assert.deepEqual(response.body().errors[0].source, { header: 'Idempotency-Key' })
    }
    assert.equal(await count('roles'), before)
  })
})

test.group('Rate limits', () => {
  test('API answers carry X-RateLimit-* headers, counting down per token', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const remaining: number[] = []
    for (let i = 0; i < 3; i++) {
      const response = await client.get('/api/v1/me').bearerToken(owner.token)
      response.assertStatus(200)
      assert.equal(response.header('x-ratelimit-limit'), '100')
      remaining.push(Number(response.header('x-ratelimit-remaining')))
      const reset = Number(response.header('x-ratelimit-reset'))
      const now = Date.now() / 1000
      assert.isTrue(
        reset >= Math.floor(now) && reset <= now + 61,
        `reset ${reset} is not within the minute`
      )
    }
    assert.deepEqual(remaining, [99, 98, 97])

    // error answers of a limited route carry them too
    const missing = await client.get('/api/v1/roles/987654321').bearerToken(owner.token)
    missing.assertStatus(404)
    assert.equal(missing.header('x-ratelimit-remaining'), '96')
    assert.exists(missing.header('x-ratelimit-reset'))
  })

  test('the 21st auth request in a minute answers 429 with Retry-After', async ({
    client,
    assert,
  }) => {
    for (let i = 1; i <= 20; i++) {
      const response = await client.post('/api/v1/auth/tokens').json({})
      response.assertStatus(422)
      assert.equal(response.header('x-ratelimit-limit'), '20')
      assert.equal(response.header('x-ratelimit-remaining'), String(20 - i))
    }
    const limited = await client.post('/api/v1/auth/tokens').json({})
    limited.assertStatus(429)
    const retryAfter = Number(limited.header('retry-after'))
    assert.isTrue(retryAfter > 0 && retryAfter <= 60)
    assert.equal(limited.header('x-ratelimit-remaining'), '0')
    assert.exists(limited.header('x-ratelimit-reset'))
    assert.deepEqual(limited.body().errors[0], {
      status: '429',
      code: 'RATE_LIMITED',
      title: 'Too many requests',
      detail: limited.body().errors[0].detail,
      meta: { retryAfter },
    })
    // signup shares the auth budget
    ;(await client.post('/api/v1/signup').json({})).assertStatus(429)
  })

  test('the API allows 100 requests a minute per token', async ({ client, assert }) => {
    const owner = await signup(client)
    const other = await signup(client)
    for (let i = 0; i < 100; i++) {
      const response = await client.get('/api/v1/me').bearerToken(owner.token)
      response.assertStatus(200)
    }
    const limited = await client.get('/api/v1/me').bearerToken(owner.token)
    limited.assertStatus(429)
    assert.equal(limited.body().errors[0].code, 'RATE_LIMITED')
    assert.exists(limited.header('retry-after'))
    // another token has its own budget
    const fresh = await client.get('/api/v1/me').bearerToken(other.token)
    fresh.assertStatus(200)
    assert.equal(fresh.header('x-ratelimit-remaining'), '99')
  }).timeout(60_000)
})

test.group('Security headers', () => {
  const expectSecurityHeaders = (assert: any, response: any) => {
    assert.exists(response.header('content-security-policy'), 'Content-Security-Policy')
    assert.include(response.header('content-security-policy'), 'default-src')
    assert.equal(response.header('x-content-type-options'), 'nosniff')
    assert.equal(response.header('x-frame-options'), 'DENY')
    assert.equal(response.header('referrer-policy'), 'strict-origin-when-cross-origin')
    // HSTS only in production: tests run over plain HTTP
    assert.isUndefined(response.header('strict-transport-security'))
  }

  test('on API answers, errors and 404s', async ({ client, assert }) => {
    const owner = await signup(client)
    const me = await client.get('/api/v1/me').bearerToken(owner.token)
    me.assertStatus(200)
    expectSecurityHeaders(assert, me)

    const unauthenticated = await client.get('/api/v1/me')
    unauthenticated.assertStatus(401)
    expectSecurityHeaders(assert, unauthenticated)

    const unknownApiRoute = await client.get('/api/v1/no-such-thing')
    unknownApiRoute.assertStatus(404)
    assert.equal(unknownApiRoute.body().errors[0].code, 'ROUTE_NOT_FOUND')
    expectSecurityHeaders(assert, unknownApiRoute)

    const unknownPage = await client.get('/no-such-page')
    unknownPage.assertStatus(404)
    expectSecurityHeaders(assert, unknownPage)
  })

  test('on health checks and pages', async ({ client, assert }) => {
    const health = await client.get('/health/live')
    health.assertStatus(200)
    expectSecurityHeaders(assert, health)

    const page = await client.get('/login')
    page.assertStatus(200)
    expectSecurityHeaders(assert, page)
    // pages get shield's policy with a script nonce
    assert.match(page.header('content-security-policy') ?? '', /script-src 'self' 'nonce-/)
  })
})

test.group('List parameters', () => {
  test('sort takes several fields with directions; search text may hold commas', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    for (const name of ['Alpha', 'Bravo', 'Charlie']) {
      ;(
        await client
          .post('/api/v1/roles')
          .bearerToken(owner.token)
          .json({ key: `r_${unique()}`, name, permissions: [] })
      ).assertStatus(201)
    }
    const descending = await client
      .get('/api/v1/roles?sort=-name,key&limit=100')
      .bearerToken(owner.token)
    descending.assertStatus(200)
    const names = descending.body().data.map((role: any) => role.attributes.name)
    assert.deepEqual(names, [...names].sort().reverse())
    assert.isAbove(names.length, 3)

    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: `s-${unique()}@example.test`, fullName: 'Smith, Jo', role: 'worker' })
    ).assertStatus(201)
    const search = await client
      .get('/api/v1/members')
      .bearerToken(owner.token)
      .qs({ search: 'smith, j' })
    search.assertStatus(200)
    assert.equal(search.body().meta.total, 1)
    assert.equal(search.body().data[0].attributes.fullName, 'Smith, Jo')
  })
})
