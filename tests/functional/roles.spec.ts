import { test } from '@japa/runner'
import { signup, login } from '#tests/helpers'

test.group('Roles', () => {
  test('built-in roles exist per tenant with registry permissions and are read-only', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const list = await client.get('/api/v1/roles?limit=100&sort=key').bearerToken(owner.token)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((r: any) => r.attributes.key),
      ['admin', 'dispatcher', 'limited_worker', 'manager', 'owner', 'worker']
    )
    const admin = list.body().data.find((r: any) => r.attributes.key === 'admin')
    assert.strictEqual(admin.attributes.isSystem, true)
    assert.include(admin.attributes.permissions, 'members.write')
    const worker = list.body().data.find((r: any) => r.attributes.key === 'worker')
    assert.notInclude(worker.attributes.permissions, 'members.read')

    const change = await client
      .patch(`/api/v1/roles/${admin.id}`)
      .bearerToken(owner.token)
      .json({ name: 'Boss' })
    change.assertStatus(409)
    assert.equal(change.body().errors[0].code, 'SYSTEM_ROLE_READ_ONLY')
    ;(await client.delete(`/api/v1/roles/${admin.id}`).bearerToken(owner.token)).assertStatus(409)
  })

  test('a custom role grants exactly its permissions to its members', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const created = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .json({
        data: {
          attributes: {
            key: 'auditor',
            name: 'Auditor',
            permissions: ['audit.read', 'members.read'],
          },
        },
      })
    created.assertStatus(201)
    assert.deepEqual(created.body().data.attributes.permissions, ['audit.read', 'members.read'])

    const member = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: member.email, role: 'auditor' })
    ).assertStatus(201)
    const token = await login(client, member.email, owner.slug)
    ;(await client.get('/api/v1/audit-log').bearerToken(token)).assertStatus(200)
    ;(await client.get('/api/v1/roles').bearerToken(token)).assertStatus(403)

    // narrowing the role takes effect on the next request
    const updated = await client
      .patch(`/api/v1/roles/${created.body().data.id}`)
      .bearerToken(owner.token)
      .json({ permissions: ['members.read'] })
    updated.assertStatus(200)
    ;(await client.get('/api/v1/audit-log').bearerToken(token)).assertStatus(403)

    // null is not "leave it alone": a role needs a name
    const nulled = await client
      .patch(`/api/v1/roles/${created.body().data.id}`)
      .bearerToken(owner.token)
      .json({ data: { attributes: { name: null } } })
    nulled.assertStatus(422)
    assert.equal(nulled.body().errors[0].source.pointer, '/data/attributes/name')
    const unchanged = await client
      .get(`/api/v1/roles/${created.body().data.id}`)
      .bearerToken(owner.token)
    assert.isString(unchanged.body().data.attributes.name)

    // a role in use cannot be deleted
    const del = await client
      .delete(`/api/v1/roles/${created.body().data.id}`)
      .bearerToken(owner.token)
    del.assertStatus(409)
    assert.equal(del.body().errors[0].code, 'ROLE_IN_USE')
  })

  test('unknown permissions, duplicate keys and escalation are refused', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const unknown = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .json({ key: 'x1', name: 'X', permissions: ['nuclear.launch'] })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].source.pointer, '/data/attributes/permissions/0')

    const system = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .json({ key: 'owner', name: 'X', permissions: [] })
    system.assertStatus(409)

    // an admin holds roles.write but not every permission an owner has? admins get all kernel ones but owner-only
    // escalation is checked against the actor's own permissions: a manager cannot write roles at all
    const manager = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: manager.email, role: 'manager' })
    ).assertStatus(201)
    const token = await login(client, manager.email, owner.slug)
    ;(
      await client
        .post('/api/v1/roles')
        .bearerToken(token)
        .json({ key: 'x2', name: 'X', permissions: [] })
    ).assertStatus(403)
  })

  test('deleting an unused custom role works and is audited', async ({ client, assert }) => {
    const owner = await signup(client)
    const created = await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .json({ key: 'temp', name: 'Temp', permissions: [] })
    ;(
      await client.delete(`/api/v1/roles/${created.body().data.id}`).bearerToken(owner.token)
    ).assertStatus(204)
    ;(
      await client.get(`/api/v1/roles/${created.body().data.id}`).bearerToken(owner.token)
    ).assertStatus(404)
    const log = await client
      .get('/api/v1/audit-log?filter[action]=role.created,role.deleted')
      .bearerToken(owner.token)
    assert.sameMembers(
      log.body().data.map((e: any) => e.attributes.action),
      ['role.created', 'role.deleted']
    )
  })
})
