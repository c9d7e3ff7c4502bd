import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createClient, crmTenant, get, patch, post } from './helpers.js'

test.group('CRM clients API', () => {
  test('creates a client with normalised emails and E.164 phones, lists and shows it', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client, { defaultCountry: 'GB' })
    const created = await createClient(client, tenant, {
      kind: 'company',
      name: 'Acme Widgets',
      companyName: 'Acme Holdings',
      emails: [{ email: '  Sales@ACME.example ', label: 'sales' }],
      phones: [{ number: '+1 (415) 555-2671', label: 'office' }, { number: '020 7946 0018' }],
      addresses: [{ line1: '1 High St', city: 'London', country: 'gb' }],
      contacts: [
        { name: 'Wile E.', role: 'Buyer', email: 'Wile@Acme.example', phone: '07911 123456' },
      ],
      tags: ['VIP', 'vip ', 'Wholesale'],
      ownerId: tenant.ownerId,
    })
    assert.equal(created.attributes.status, 'active')
    assert.deepEqual(created.attributes.emails, [{ email: 'sales@acme.example', label: 'sales' }])
    assert.deepEqual(
      created.attributes.phones.map((phone: any) => phone.number),
      ['+14155552671', '+442079460018']
    )
    assert.equal(created.attributes.contacts[0].phone, '+447911123456')
    assert.equal(created.attributes.contacts[0].email, 'wile@acme.example')
    assert.equal(created.attributes.addresses[0].country, 'GB')
    assert.deepEqual(created.attributes.tags, ['vip', 'wholesale'])
    assert.equal(created.attributes.ownerId, tenant.ownerId)

    const shown = await get(client, tenant, `/clients/${created.id}`)
    shown.assertStatus(200)
    assert.equal(shown.body().data.attributes.name, 'Acme Widgets')
    const list = await get(client, tenant, '/clients?filter[status]=active')
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((row: any) => row.id),
      [created.id]
    )

    const audit = await db
      .from('audit_logs')
      .where({ tenant_id: tenant.tenantId, action: 'crm.client.created' })
    assert.lengthOf(audit, 1)
    const events = await db
      .from('event_outbox')
      .where({ tenant_id: tenant.tenantId, name: 'crm.client.created' })
    assert.lengthOf(events, 1)
    assert.equal(events[0].aggregate_id, created.id)
  })

  test('bad input is a 422 naming the field and writes nothing', async ({ client, assert }) => {
    const tenant = await crmTenant(client)
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'No kind' }, '/data/attributes/kind'],
      [{ kind: 'robot', name: 'X' }, '/data/attributes/kind'],
      [{ kind: 'person', name: '' }, '/data/attributes/name'],
      [
        { kind: 'person', name: 'A', emails: [{ email: 'not-an-email' }] },
        '/data/attributes/emails/0/email',
      ],
      [
        { kind: 'person', name: 'A', phones: [{ number: '+1 555' }] },
        '/data/attributes/phones/0/number',
      ],
      // no "+" and no default country: cannot be read
      [
        { kind: 'person', name: 'A', phones: [{ number: '020 7946 0018' }] },
        '/data/attributes/phones/0/number',
      ],
      [{ kind: 'person', name: 'A', ownerId: 999999 }, '/data/attributes/ownerId'],
      [
        { kind: 'person', name: 'A', addresses: [{ line1: 'x', country: 'GBR' }] },
        '/data/attributes/addresses/0/country',
      ],
      [{ kind: 'person', name: 'A', customFields: 'text' }, '/data/attributes/customFields'],
    ]
    for (const [attributes, pointer] of cases) {
      const response = await post(client, tenant, '/clients', attributes)
      assert.equal(response.status(), 422, `${JSON.stringify(attributes)} → ${response.text()}`)
      assert.equal(response.body().errors[0].source?.pointer, pointer, JSON.stringify(attributes))
    }
    const rows = await db.from('crm_clients').where('tenant_id', tenant.tenantId)
    assert.lengthOf(rows, 0)
    const phones = await db.from('crm_client_phones').where('tenant_id', tenant.tenantId)
    assert.lengthOf(phones, 0)
  })

  test('custom fields are validated against the tenant schema', async ({ client, assert }) => {
    const tenant = await crmTenant(client, {
      customFieldsSchema: {
        type: 'object',
        properties: {
          vatNumber: { type: 'string', pattern: '^[A-Z]{2}[0-9]+$' },
          size: { type: 'integer' },
        },
        required: ['vatNumber'],
        additionalProperties: false,
      },
    })
    const missing = await post(client, tenant, '/clients', {
      kind: 'company',
      name: 'A',
      customFields: { size: 3 },
    })
    missing.assertStatus(422)
    assert.equal(missing.body().errors[0].source.pointer, '/data/attributes/customFields/vatNumber')
    const wrong = await post(client, tenant, '/clients', {
      kind: 'company',
      name: 'A',
      customFields: { vatNumber: 'GB1', size: 'big' },
    })
    wrong.assertStatus(422)
    assert.equal(wrong.body().errors[0].source.pointer, '/data/attributes/customFields/size')
    const ok = await createClient(client, tenant, {
      kind: 'company',
      name: 'A',
      customFields: { vatNumber: 'GB123', size: 3 },
    })
    assert.deepEqual(ok.attributes.customFields, { vatNumber: 'GB123', size: 3 })
    const badPatch = await patch(client, tenant, `/clients/${ok.id}`, {
      customFields: { vatNumber: 'nope' },
    })
    badPatch.assertStatus(422)
    const after = await get(client, tenant, `/clients/${ok.id}`)
    assert.deepEqual(after.body().data.attributes.customFields, { vatNumber: 'GB123', size: 3 })
  })

  test('update replaces the lists given, archives with an event, refuses bad input', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const created = await createClient(client, tenant, {
      kind: 'person',
      name: 'Jane Doe',
      emails: [{ email: 'jane@example.test' }],
      tags: ['a'],
    })
    const changed = await patch(client, tenant, `/clients/${created.id}`, {
      name: 'Jane Roe',
      emails: [{ email: 'JANE.ROE@example.test' }],
    })
    changed.assertStatus(200)
    assert.equal(changed.body().data.attributes.name, 'Jane Roe')
    assert.deepEqual(changed.body().data.attributes.emails, [
      { email: 'jane.roe@example.test', label: null },
    ])
    assert.deepEqual(changed.body().data.attributes.tags, ['a'])

    const bad = await patch(client, tenant, `/clients/${created.id}`, {
      name: '',
      status: 'archived',
    })
    bad.assertStatus(422)
    const nulled = await patch(client, tenant, `/clients/${created.id}`, { name: null })
    nulled.assertStatus(422)
    const still = await get(client, tenant, `/clients/${created.id}`)
    assert.equal(still.body().data.attributes.status, 'active')

    const archived = await patch(client, tenant, `/clients/${created.id}`, { status: 'archived' })
    archived.assertStatus(200)
    assert.equal(archived.body().data.attributes.status, 'archived')
    const events = await db
      .from('event_outbox')
      .where({ tenant_id: tenant.tenantId, aggregate_id: created.id })
      .orderBy('id')
      .select('name')
    assert.deepEqual(
      events.map((event) => event.name),
      ['crm.client.created', 'crm.client.updated', 'crm.client.updated', 'crm.client.archived']
    )
    const active = await get(client, tenant, '/clients?filter[status]=active')
    assert.lengthOf(active.body().data, 0)
  })

  test("another tenant's client is a 404 on every route", async ({ client, assert }) => {
    const a = await crmTenant(client)
    const b = await crmTenant(client)
    const mine = await createClient(client, a, {
      kind: 'person',
      name: 'Private Person',
      emails: [{ email: 'p@example.test' }],
    })
    for (const url of [
      `/clients/${mine.id}`,
      `/clients/${mine.id}/notes`,
      `/clients/${mine.id}/timeline`,
      `/clients/${mine.id}/export`,
    ]) {
      const response = await get(client, b, url)
      assert.equal(response.status(), 404, url)
    }
    ;(await patch(client, b, `/clients/${mine.id}`, { name: 'Stolen' })).assertStatus(404)
    ;(await post(client, b, `/clients/${mine.id}/notes`, { body: 'x' })).assertStatus(404)
    ;(await post(client, b, `/clients/${mine.id}/erase`, {})).assertStatus(404)
    const search = await get(client, b, '/clients?search=private')
    assert.lengthOf(search.body().data, 0)
    const list = await get(client, b, '/clients')
    assert.lengthOf(list.body().data, 0)
    const untouched = await get(client, a, `/clients/${mine.id}`)
    assert.equal(untouched.body().data.attributes.name, 'Private Person')
  })

  test('notes: added, listed, shown on the timeline; bad note is a 422', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const created = await createClient(client, tenant, { kind: 'person', name: 'Noted' })
    ;(await post(client, tenant, `/clients/${created.id}/notes`, { body: '   ' })).assertStatus(422)
    const note = await post(client, tenant, `/clients/${created.id}/notes`, {
      body: 'Called about the quote',
    })
    note.assertStatus(201)
    const notes = await get(client, tenant, `/clients/${created.id}/notes`)
    assert.deepEqual(
      notes.body().data.map((n: any) => n.attributes.body),
      ['Called about the quote']
    )
    const timeline = await get(client, tenant, `/clients/${created.id}/timeline`)
    timeline.assertStatus(200)
    const types = timeline.body().data.map((entry: any) => entry.attributes.type)
    assert.includeMembers(types, ['crm.note', 'crm.client.created'])
  })

  test('a disabled CRM answers 404 PLUGIN_NOT_ENABLED and keeps the data', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    await createClient(client, tenant, { kind: 'person', name: 'Kept' })
    const off = await client
      .post('/api/v1/plugins/crm/disable')
      .bearerToken(tenant.token)
      .header('Idempotency-Key', crypto.randomUUID())
      .json({})
    off.assertStatus(200)
    const response = await get(client, tenant, '/clients')
    response.assertStatus(404)
    assert.equal(response.body().errors[0].code, 'PLUGIN_NOT_ENABLED')
    const rows = await db.from('crm_clients').where('tenant_id', tenant.tenantId)
    assert.lengthOf(rows, 1)
  })
})
