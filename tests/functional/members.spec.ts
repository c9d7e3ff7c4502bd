import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { signup, login, unique, PASSWORD } from '#tests/helpers'

async function addMember(client: any, token: string, role: string) {
  const email = `m-${unique()}@example.test`
  const response = await client
    .post('/api/v1/members')
    .bearerToken(token)
    .json({ data: { attributes: { email, fullName: `Member ${role}`, role } } })
  return { response, email }
}

/* An invited member chooses a password through the signed link, then logs in. */
async function acceptInvitation(client: any, invitationUrl: string) {
  const response = await client.post(invitationUrl).json({ password: PASSWORD })
  response.assertStatus(200)
}

test.group('Members', () => {
  test('an owner invites a member who accepts and logs in with their role', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const { response, email } = await addMember(client, owner.token, 'dispatcher')
    response.assertStatus(201)
    assert.equal(response.body().data.attributes.role, 'dispatcher')
    const url = response.body().meta.invitationUrl
    assert.match(url, /signature=/)

    await acceptInvitation(client, url)
    const again = await client.post(url).json({ password: PASSWORD })
    again.assertStatus(409)

    const token = await login(client, email, owner.slug)
    const me = await client.get('/api/v1/me').bearerToken(token)
    assert.equal(me.body().meta.role.key, 'dispatcher')
    assert.include(me.body().meta.permissions, 'members.read')
    assert.notInclude(me.body().meta.permissions, 'members.write')
    ;(await client.get('/api/v1/members').bearerToken(token)).assertStatus(200)
    const forbidden = await client
      .post('/api/v1/members')
      .bearerToken(token)
      .json({ email: `x-${unique()}@example.test`, fullName: 'X', role: 'worker' })
    forbidden.assertStatus(403)
    assert.equal(forbidden.body().errors[0].code, 'FORBIDDEN')
  })

  test('a tampered invitation link is refused', async ({ client }) => {
    const owner = await signup(client)
    const { response } = await addMember(client, owner.token, 'worker')
    const url: string = response.body().meta.invitationUrl
    ;(
      await client
        .post(url.replace(/signature=[^&]+/, 'signature=forged'))
        .json({ password: PASSWORD })
    ).assertStatus(403)
  })

  test('an existing user is added without an invitation; adding twice is a conflict', async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const b = await signup(client)
    const added = await client
      .post('/api/v1/members')
      .bearerToken(a.token)
      .json({ email: b.email, role: 'manager' })
    added.assertStatus(201)
    assert.notProperty(added.body(), 'meta')
    const twice = await client
      .post('/api/v1/members')
      .bearerToken(a.token)
      .json({ email: b.email, role: 'manager' })
    twice.assertStatus(409)
    assert.equal(twice.body().errors[0].code, 'ALREADY_MEMBER')
  })

  test('the last owner can be neither demoted nor removed', async ({ client, assert }) => {
    const owner = await signup(client)
    const list = await client.get('/api/v1/members').bearerToken(owner.token)
    const ownerMemberId = list.body().data[0].id

    const demote = await client
      .patch(`/api/v1/members/${ownerMemberId}`)
      .bearerToken(owner.token)
      .json({ role: 'admin' })
    demote.assertStatus(409)
    assert.equal(demote.body().errors[0].code, 'LAST_OWNER')
    const remove = await client.delete(`/api/v1/members/${ownerMemberId}`).bearerToken(owner.token)
    remove.assertStatus(409)

    // with a second owner, the first may step down
    const { response } = await addMember(client, owner.token, 'owner')
    response.assertStatus(201)
    const stepDown = await client
      .patch(`/api/v1/members/${ownerMemberId}`)
      .bearerToken(owner.token)
      .json({ role: 'admin' })
    stepDown.assertStatus(200)
    assert.equal(stepDown.body().data.attributes.role, 'admin')
  })

  test('two owners demoting each other at once leave exactly one owner', async ({
    client,
    assert,
  }) => {
    const first = await signup(client)
    const second = await signup(client)
    const added = await client
      .post('/api/v1/members')
      .bearerToken(first.token)
      .json({ email: second.email, role: 'owner' })
    added.assertStatus(201)
    const secondToken = await login(client, second.email, first.slug)
    const list = await client.get('/api/v1/members?filter[role]=owner').bearerToken(first.token)
    const firstMemberId = list.body().data.find((m: any) => m.attributes.email === first.email).id
    const secondMemberId = added.body().data.id

    const [a, b] = await Promise.all([
      client
        .patch(`/api/v1/members/${secondMemberId}`)
        .bearerToken(first.token)
        .json({ role: 'admin' }),
      client
        .patch(`/api/v1/members/${firstMemberId}`)
        .bearerToken(secondToken)
        .json({ role: 'admin' }),
    ])
    // the loser is refused either as the last owner (409) or, if its request started after
    // the winner's commit, as no longer an owner (403); never both succeed
    const statuses = [a.status(), b.status()].sort()
    assert.equal(statuses[0], 200)
    assert.oneOf(statuses[1], [403, 409])
    const owners = await client
      .get('/api/v1/members?filter[role]=owner')
      .bearerToken(a.status() === 200 ? first.token : secondToken)
    assert.lengthOf(owners.body().data, 1)
  })

  test('an admin cannot make owners nor touch an owner', async ({ client, assert }) => {
    const owner = await signup(client)
    const admin = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: admin.email, role: 'admin' })
    ).assertStatus(201)
    const adminToken = await login(client, admin.email, owner.slug)

    const makeOwner = await addMember(client, adminToken, 'owner')
    makeOwner.response.assertStatus(403)
    assert.equal(makeOwner.response.body().errors[0].code, 'OWNER_ONLY')

    const list = await client.get('/api/v1/members?filter[role]=owner').bearerToken(adminToken)
    const ownerMemberId = list.body().data[0].id
    ;(await client.delete(`/api/v1/members/${ownerMemberId}`).bearerToken(adminToken)).assertStatus(
      403
    )
    ;(
      await client
        .patch(`/api/v1/members/${ownerMemberId}`)
        .bearerToken(adminToken)
        .json({ role: 'worker' })
    ).assertStatus(403)
  })

  test('removing a member revokes their tokens for that tenant', async ({ client }) => {
    const owner = await signup(client)
    const other = await signup(client)
    const added = await client
      .post('/api/v1/members')
      .bearerToken(owner.token)
      .json({ email: other.email, role: 'worker' })
    const otherToken = await login(client, other.email, owner.slug)
    ;(await client.get('/api/v1/me').bearerToken(otherToken)).assertStatus(200)
    ;(
      await client.delete(`/api/v1/members/${added.body().data.id}`).bearerToken(owner.token)
    ).assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(otherToken)).assertStatus(401)
    // their own tenant still works
    ;(await client.get('/api/v1/me').bearerToken(other.token)).assertStatus(200)
  })

  test('list supports search, filter, sort and pagination', async ({ client, assert }) => {
    const owner = await signup(client)
    for (const role of ['worker', 'worker', 'manager']) {
      ;(await addMember(client, owner.token, role)).response.assertStatus(201)
    }
    const page = await client
      .get('/api/v1/members?limit=2&page=2&sort=-joinedAt')
      .bearerToken(owner.token)
    page.assertStatus(200)
    assert.deepEqual(page.body().meta, { page: 2, limit: 2, total: 4, totalPages: 2 })
    assert.lengthOf(page.body().data, 2)
    assert.isNull(page.body().links.next)
    assert.include(page.body().links.prev, 'page=1')

    const workers = await client.get('/api/v1/members?filter[role]=worker').bearerToken(owner.token)
    assert.lengthOf(workers.body().data, 2)
    const search = await client
      .get(`/api/v1/members?search=${encodeURIComponent(owner.email.slice(0, 10).toUpperCase())}`)
      .bearerToken(owner.token)
    assert.deepEqual(
      search.body().data.map((m: any) => m.attributes.email),
      [owner.email]
    )
  })

  test('an unknown role is a 422 and writes nothing', async ({ client, assert }) => {
    const owner = await signup(client)
    const before = await db.from('memberships').count('* as total')
    const { response } = await addMember(client, owner.token, 'wizard')
    response.assertStatus(422)
    assert.equal(response.body().errors[0].source.pointer, '/data/attributes/role')
    const after = await db.from('memberships').count('* as total')
    assert.equal(Number(after[0].total), Number(before[0].total))
  })
})
