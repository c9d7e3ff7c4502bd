import { test } from '@japa/runner'
import { staffUser } from '#plinth/testing'
import type { ApiClient } from '@japa/api-client'
import { createClient, crmTenant, post, type CrmTenant } from './helpers.js'

async function visit(client: ApiClient, path: string, tenant: CrmTenant) {
  const user = await staffUser(tenant.ownerId)
  return client.get(path).withInertia().loginAs(user).withSession({ tenantId: tenant.tenantId })
}

test.group('CRM pages', () => {
  test('client list: newest first, and search results as the page reloads with ?search=', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    await createClient(client, tenant, {
      kind: 'person',
      name: 'Marie Curie',
      emails: [{ email: 'marie@example.test' }],
    })
    await createClient(client, tenant, { kind: 'person', name: 'Pierre Curie' })
    await createClient(client, tenant, { kind: 'company', name: 'Radium Institute' })

    const all = await visit(client, '/app/crm', tenant)
    all.assertStatus(200)
    all.assertInertiaComponent('plugins/crm/clients')
    assert.deepEqual(
      all.inertiaProps.clients.map((row: any) => row.name),
      ['Radium Institute', 'Pierre Curie', 'Marie Curie']
    )
    const typed = await visit(client, '/app/crm?search=mar', tenant)
    assert.deepEqual(
      typed.inertiaProps.clients.map((row: any) => row.name),
      ['Marie Curie']
    )
    assert.equal(typed.inertiaProps.clients[0].email, 'marie@example.test')
    const typo = await visit(client, '/app/crm?search=raduim', tenant)
    assert.deepEqual(
      typo.inertiaProps.clients.map((row: any) => row.name),
      ['Radium Institute']
    )
    const nav = all.inertiaProps.shell.nav.map((item: { href: string }) => item.href)
    assert.include(nav, '/app/crm')
  })

  test('client page: the client and its timeline; another tenant gets a 404', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const other = await crmTenant(client)
    const created = await createClient(client, tenant, { kind: 'person', name: 'Lise Meitner' })
    await post(client, tenant, `/clients/${created.id}/notes`, { body: 'Met at the conference' })
    const page = await visit(client, `/app/crm/clients/${created.id}`, tenant)
    page.assertStatus(200)
    page.assertInertiaComponent('plugins/crm/client')
    assert.equal(page.inertiaProps.client.name, 'Lise Meitner')
    const titles = page.inertiaProps.timeline.map((entry: any) => entry.title)
    assert.includeMembers(titles, ['Note', 'Client created'])
    assert.equal(
      page.inertiaProps.timeline.find((e: any) => e.title === 'Note').detail,
      'Met at the conference'
    )

    const hidden = await visit(client, `/app/crm/clients/${created.id}`, other)
    hidden.assertStatus(404)
  })
})
