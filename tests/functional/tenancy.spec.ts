import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Role from '#models/role'
import { tenantContext } from '#tenancy/tenant_context'
import { signup, login, unique, PASSWORD } from '#tests/helpers'

test.group('Tenant isolation', () => {
  test('two tenants see only their own members, roles and audit entries', async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const b = await signup(client)

    const membersA = await client.get('/api/v1/members').bearerToken(a.token)
    membersA.assertStatus(200)
    assert.deepEqual(
      membersA.body().data.map((m: any) => m.attributes.email),
      [a.email]
    )

    const rolesA = await client.get('/api/v1/roles?limit=100').bearerToken(a.token)
    const rolesB = await client.get('/api/v1/roles?limit=100').bearerToken(b.token)
    const idsA = rolesA.body().data.map((r: any) => r.id)
    const idsB = rolesB.body().data.map((r: any) => r.id)
    assert.lengthOf(idsA, 6)
    assert.lengthOf(idsB, 6)
    assert.lengthOf(
      idsA.filter((id: string) => idsB.includes(id)),
      0
    )

    const auditA = await client.get('/api/v1/audit-log?limit=100').bearerToken(a.token)
    auditA.assertStatus(200)
    assert.isAbove(auditA.body().data.length, 0)
    const auditB = await client.get('/api/v1/audit-log?limit=100').bearerToken(b.token)
    const auditIdsB = auditB.body().data.map((e: any) => e.id)
    assert.isFalse(auditA.body().data.some((e: any) => auditIdsB.includes(e.id)))
  })

  test("another tenant's ids answer 404, for reads and writes alike", async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const b = await signup(client)
    const bMembers = await client.get('/api/v1/members').bearerToken(b.token)
    const bMemberId = bMembers.body().data[0].id
    const bRoles = await client.get('/api/v1/roles?filter[isSystem]=true').bearerToken(b.token)
    const bRoleId = bRoles.body().data[0].id

    const read = await client.get(`/api/v1/members/${bMemberId}`).bearerToken(a.token)
    read.assertStatus(404)
    assert.equal(read.body().errors[0].code, 'NOT_FOUND')
    ;(
      await client
        .patch(`/api/v1/members/${bMemberId}`)
        .bearerToken(a.token)
        .json({ role: 'worker' })
    ).assertStatus(404)
    ;(await client.delete(`/api/v1/members/${bMemberId}`).bearerToken(a.token)).assertStatus(404)
    ;(await client.get(`/api/v1/roles/${bRoleId}`).bearerToken(a.token)).assertStatus(404)

    // B's owner is untouched
    const still = await client.get(`/api/v1/members/${bMemberId}`).bearerToken(b.token)
    still.assertStatus(200)
    assert.equal(still.body().data.attributes.role, 'owner')
  })

  test('tenant-scoped models refuse to run without a tenant context', async ({ assert }) => {
    assert.throws(() => Role.query(), /outside a tenant context/)
    const rows = await tenantContext.unscoped(() => Role.query().limit(1))
    assert.isArray(rows)
  })

  test('a user in two tenants gets one token per tenant, each scoped to its tenant', async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const slug = `second-${unique()}`
    const created = await client
      .post('/api/v1/tenants')
      .bearerToken(a.token)
      .json({ name: 'Second shop', slug })
    created.assertStatus(201)

    const mine = await client.get('/api/v1/tenants').bearerToken(a.token)
    assert.sameMembers(
      mine.body().data.map((t: any) => t.attributes.slug),
      [a.slug, slug]
    )
    assert.equal(mine.body().data.find((t: any) => t.attributes.current).attributes.slug, a.slug)

    const secondToken = await login(client, a.email, slug, PASSWORD)
    const me = await client.get('/api/v1/me').bearerToken(secondToken)
    assert.equal(me.body().meta.tenant.attributes.slug, slug)
    const members = await client.get('/api/v1/members').bearerToken(secondToken)
    assert.lengthOf(members.body().data, 1)
    const tokenTenants = await db
      .from('auth_access_tokens')
      .whereNotNull('tenant_id')
      .count('* as total')
    assert.isAbove(Number(tokenTenants[0].total), 1)
  })
})
