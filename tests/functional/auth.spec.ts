import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { signup, login, unique, PASSWORD } from '#tests/helpers'

test.group('Signup and tokens', () => {
  test('signup creates a tenant, its owner and a working token', async ({ client, assert }) => {
    const id = unique()
    const response = await client.post('/api/v1/signup').json({
      data: {
        attributes: {
          tenantName: 'Acme',
          tenantSlug: `acme-${id}`,
          fullName: 'Ada',
          email: `Ada-${id}@Example.TEST`,
          password: PASSWORD,
        },
      },
    })
    response.assertStatus(201)
    assert.equal(response.body().data.type, 'tenant')
    assert.equal(response.body().data.attributes.slug, `acme-${id}`)
    assert.equal(response.body().meta.owner.attributes.email, `ada-${id}@example.test`)

    const me = await client.get('/api/v1/me').bearerToken(response.body().meta.token.value)
    me.assertStatus(200)
    assert.equal(me.body().meta.role.key, 'owner')
    assert.include(me.body().meta.permissions, 'members.write')
    assert.equal(me.body().meta.tenant.attributes.slug, `acme-${id}`)
  })

  test('tokens are hashed at rest', async ({ client, assert }) => {
    const owner = await signup(client)
    const rows = await db.from('auth_access_tokens').select('hash')
    assert.isTrue(rows.length > 0)
    assert.notInclude(
      rows.map((row) => row.hash),
      owner.token
    )
    assert.isFalse(rows.some((row) => owner.token.includes(row.hash)))
  })

  test('wrong password, unknown tenant and non-member tenant are refused', async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const b = await signup(client)
    const wrong = await client
      .post('/api/v1/auth/tokens')
      .json({ email: a.email, password: 'nope-nope-nope', tenant: a.slug })
    wrong.assertStatus(401)
    assert.equal(wrong.body().errors[0].code, 'INVALID_CREDENTIALS')

    const unknown = await client
      .post('/api/v1/auth/tokens')
      .json({ email: a.email, password: PASSWORD, tenant: 'no-such-tenant' })
    unknown.assertStatus(404)
    const foreign = await client
      .post('/api/v1/auth/tokens')
      .json({ email: a.email, password: PASSWORD, tenant: b.slug })
    foreign.assertStatus(404)
    assert.equal(foreign.body().errors[0].code, unknown.body().errors[0].code)
  })

  test('last use is recorded, at most once a minute', async ({ client, assert }) => {
    const owner = await signup(client)
    const row = () =>
      db.from('auth_access_tokens').where('name', 'signup').orderBy('id', 'desc').first()
    assert.isNull((await row()).last_used_at)
    ;(await client.get('/api/v1/me').bearerToken(owner.token)).assertStatus(200)
    const first = (await row()).last_used_at
    assert.isNotNull(first)
    ;(await client.get('/api/v1/me').bearerToken(owner.token)).assertStatus(200)
    assert.deepEqual((await row()).last_used_at, first)
  })

  test('a revoked token stops working', async ({ client }) => {
    const owner = await signup(client)
    const token = await login(client, owner.email, owner.slug)
    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(200)
    ;(await client.delete('/api/v1/auth/tokens/current').bearerToken(token)).assertStatus(204)
    const after = await client.get('/api/v1/me').bearerToken(token)
    after.assertStatus(401)
    after.assertBodyContains({ errors: [{ code: 'UNAUTHENTICATED' }] })
  })

  test('an expired token is refused', async ({ client }) => {
    const owner = await signup(client)
    await db
      .from('auth_access_tokens')
      .where('tokenable_id', Number(owner.ownerId))
      .update({ expires_at: new Date(Date.now() - 1000) })
    ;(await client.get('/api/v1/me').bearerToken(owner.token)).assertStatus(401)
  })

  test('a missing or garbage token answers 401 in the error envelope', async ({
    client,
    assert,
  }) => {
    const none = await client.get('/api/v1/me')
    none.assertStatus(401)
    assert.equal(none.body().errors[0].status, '401')
    ;(await client.get('/api/v1/me').bearerToken('plt_garbage.value')).assertStatus(401)
  })

  test('a well-formed token whose id is not a number answers 401, not a database error', async ({
    client,
  }) => {
    const owner = await signup(client)
    const secret = owner.token.slice(owner.token.indexOf('.') + 1)
    for (const identifier of ['abc', "1' or '1'='1", '9'.repeat(40)]) {
      const forged = `plt_${Buffer.from(identifier).toString('base64url')}.${secret}`
      const response = await client.get('/api/v1/me').bearerToken(forged)
      response.assertStatus(401)
      response.assertBodyContains({ errors: [{ code: 'UNAUTHENTICATED' }] })
    }
  })

  test('signup refuses a taken slug and a taken email, writing nothing', async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const before = await db.from('tenants').count('* as total')
    const slug = await client.post('/api/v1/signup').json({
      tenantName: 'Xy',
      tenantSlug: a.slug,
      fullName: 'X',
      email: `x-${unique()}@example.test`,
      password: PASSWORD,
    })
    slug.assertStatus(409)
    assert.equal(slug.body().errors[0].code, 'SLUG_TAKEN')
    const email = await client.post('/api/v1/signup').json({
      tenantName: 'Xy',
      tenantSlug: `x-${unique()}`,
      fullName: 'X',
      email: a.email,
      password: PASSWORD,
    })
    email.assertStatus(409)
    const after = await db.from('tenants').count('* as total')
    assert.equal(Number(after[0].total), Number(before[0].total))
  })
})
