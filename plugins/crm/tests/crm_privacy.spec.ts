import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { crmExtensions } from '../public.js'
import { createClient, crmTenant, get, post } from './helpers.js'

test.group('CRM privacy: export and erase', (group) => {
  // a stand-in for another plugin's contribution (a plugin id the tenant never enables)
  group.each.teardown(() => crmExtensions.unregister('crm-test-other'))

  test('export holds everything about the client; only enabled plugins contribute', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const created = await createClient(client, tenant, {
      kind: 'person',
      name: 'Ada Lovelace',
      emails: [{ email: 'ada@example.test' }],
      phones: [{ number: '+442079460018' }],
      addresses: [{ line1: '12 St James Square', city: 'London', country: 'GB' }],
      tags: ['vip'],
    })
    await post(client, tenant, `/clients/${created.id}/notes`, { body: 'Prefers email' })
    let asked = 0
    crmExtensions.register({
      pluginId: 'crm-test-other',
      export: () => {
        asked++
        return { secret: true }
      },
    })
    const response = await get(client, tenant, `/clients/${created.id}/export`)
    response.assertStatus(200)
    const data = response.body().data.attributes
    assert.equal(data.plugins.crm.client.name, 'Ada Lovelace')
    assert.deepEqual(data.plugins.crm.client.emails, [{ email: 'ada@example.test', label: null }])
    assert.equal(data.plugins.crm.client.addresses[0].line1, '12 St James Square')
    assert.deepEqual(
      data.plugins.crm.notes.map((note: any) => note.body),
      ['Prefers email']
    )
    assert.notProperty(data.plugins, 'crm-test-other')
    assert.equal(asked, 0)
    const audit = await db
      .from('audit_logs')
      .where({ tenant_id: tenant.tenantId, action: 'crm.client.exported' })
    assert.lengthOf(audit, 1)
  })

  test('erase anonymises the client, its lists and notes, once; audited with an event', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const created = await createClient(client, tenant, {
      kind: 'person',
      name: 'Grace Hopper',
      companyName: 'Navy',
      emails: [{ email: 'grace@example.test' }],
      phones: [{ number: '+14155552671' }],
      contacts: [{ name: 'Assistant', email: 'assist@example.test' }],
      customFields: { shoeSize: 7 },
    })
    await post(client, tenant, `/clients/${created.id}/notes`, { body: 'Lives at 1 Secret Road' })
    const erased = await post(client, tenant, `/clients/${created.id}/erase`, {})
    erased.assertStatus(200)
    const attributes = erased.body().data.attributes
    assert.equal(attributes.name, `Erased client ${created.id}`)
    assert.isNull(attributes.companyName)
    assert.deepEqual(attributes.emails, [])
    assert.deepEqual(attributes.phones, [])
    assert.deepEqual(attributes.contacts, [])
    assert.deepEqual(attributes.customFields, {})
    assert.equal(attributes.status, 'archived')
    assert.isString(attributes.erasedAt)

    const notes = await db.from('crm_notes').where('client_id', created.id)
    assert.deepEqual(
      notes.map((note) => note.body),
      ['[erased]']
    )
    const found = await get(client, tenant, '/clients?search=grace')
    assert.lengthOf(found.body().data, 0)
    const raw = JSON.stringify(await db.from('crm_clients').where('id', created.id))
    assert.notInclude(raw, 'Grace')
    assert.notInclude(raw, 'grace@')

    const again = await post(client, tenant, `/clients/${created.id}/erase`, {})
    again.assertStatus(409)
    assert.equal(again.body().errors[0].code, 'CLIENT_ERASED')
    const change = await client
      .patch(`/api/v1/crm/clients/${created.id}`)
      .bearerToken(tenant.token)
      .json({ data: { attributes: { name: 'Back' } } })
    change.assertStatus(409)

    const audit = await db
      .from('audit_logs')
      .where({ tenant_id: tenant.tenantId, action: 'crm.client.erased' })
    assert.lengthOf(audit, 1)
    const events = await db
      .from('event_outbox')
      .where({ tenant_id: tenant.tenantId, name: 'crm.client.erased' })
    assert.lengthOf(events, 1)
  })

  test('a failing contribution rolls the whole erase back', async ({ client, assert }) => {
    const tenant = await crmTenant(client)
    const created = await createClient(client, tenant, {
      kind: 'person',
      name: 'Kept Whole',
      emails: [{ email: 'kept@example.test' }],
    })
    crmExtensions.register({
      pluginId: 'crm-test-other',
      erase: () => {
        throw new Error('contribution failed')
      },
    })
    // the stand-in is not enabled for the tenant, so it is not asked: erase succeeds...
    const ok = await post(client, tenant, `/clients/${created.id}/erase`, {})
    ok.assertStatus(200)
    // ...while the CRM's own contribution failing leaves nothing half-done
    const other = await createClient(client, tenant, {
      kind: 'person',
      name: 'Second',
      emails: [{ email: 'second@example.test' }],
    })
    crmExtensions.register({
      pluginId: 'crm',
      erase: () => {
        throw new Error('crm contribution failed')
      },
    })
    try {
      const failed = await post(client, tenant, `/clients/${other.id}/erase`, {})
      assert.equal(failed.status(), 500)
    } finally {
      await import('../services/client_privacy.js').then((module) =>
        module.registerCrmContribution()
      )
    }
    const still = await get(client, tenant, `/clients/${other.id}`)
    assert.equal(still.body().data.attributes.name, 'Second')
    assert.deepEqual(still.body().data.attributes.emails, [
      { email: 'second@example.test', label: null },
    ])
    assert.isNull(still.body().data.attributes.erasedAt)
  })
})
