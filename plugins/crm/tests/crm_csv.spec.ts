import { test } from '@japa/runner'
import { startJobWorker } from '#plinth/testing'
import db from '@adonisjs/lucid/services/db'
import { createClient, crmTenant, get, post } from './helpers.js'

const CSV = [
  'Full Name,E-mail,Phone,Company,Tags,City,Address,custom.size',
  'Ada Lovelace,ADA@Example.test,+44 20 7946 0018,Analytical Engines,vip;math,London,12 St James Square,3',
  ',nobody@example.test,,,,,,',
  'Bad Mail,not-an-email,,,,,,',
  'Bad Phone,bp@example.test,+1 555,,,,,',
  '"Lovelace, Byron",byron@example.test,,,,,,7',
].join('\n')

test.group('CRM CSV import and export', () => {
  test('preview suggests a mapping, shows rows and per-row errors, writes nothing', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const response = await post(client, tenant, '/imports', { csv: CSV, preview: true })
    response.assertStatus(200)
    const preview = response.body().data.attributes
    assert.equal(preview.totalRows, 5)
    assert.deepInclude(preview.mapping, {
      'name': 'Full Name',
      'email': 'E-mail',
      'phone': 'Phone',
      'companyName': 'Company',
      'tags': 'Tags',
      'city': 'City',
      'line1': 'Address',
      'custom.size': 'custom.size',
    })
    assert.deepEqual(
      preview.sample.map((row: any) => row.name),
      ['Ada Lovelace', 'Lovelace, Byron']
    )
    assert.deepEqual(
      preview.errors.map((error: any) => [error.row, error.field]),
      [
        [3, 'name'],
        [4, 'emails.0.email'],
        [5, 'phones.0.number'],
      ]
    )
    const rows = await db.from('crm_clients').where('tenant_id', tenant.tenantId)
    assert.lengthOf(rows, 0)
  })

  test('bad files and mappings are 422s naming the problem, nothing queued', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const cases: [Record<string, unknown>, string][] = [
      [{ csv: 'name\n"unclosed', mapping: { name: 'name' } }, '/data/attributes/csv'],
      [{ csv: 'name', mapping: { name: 'name' } }, '/data/attributes/csv'],
      [{ csv: CSV, mapping: { email: 'E-mail' } }, '/data/attributes/mapping/name'],
      [{ csv: CSV, mapping: { name: 'Nope' } }, '/data/attributes/mapping/name'],
      [
        { csv: CSV, mapping: { name: 'Full Name', shoe: 'Phone' } },
        '/data/attributes/mapping/shoe',
      ],
      [{ csv: CSV }, '/data/attributes/mapping'],
    ]
    for (const [attributes, pointer] of cases) {
      const response = await post(client, tenant, '/imports', attributes)
      assert.equal(response.status(), 422, response.text())
      assert.equal(response.body().errors[0].source.pointer, pointer)
    }
    const imports = await db.from('crm_imports').where('tenant_id', tenant.tenantId)
    assert.lengthOf(imports, 0)
  })

  test('an import runs as a job: valid rows become clients, the others are reported', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const stop = await startJobWorker()
    try {
      const preview = await post(client, tenant, '/imports', { csv: CSV, preview: true })
      const started = await post(client, tenant, '/imports', {
        csv: CSV,
        mapping: preview.body().data.attributes.mapping,
      })
      started.assertStatus(201)
      assert.equal(started.body().data.attributes.status, 'queued')
      const id = started.body().data.id
      let progress: any
      for (let attempt = 0; attempt < 200; attempt++) {
        progress = (await get(client, tenant, `/imports/${id}`)).body().data.attributes
        if (progress.status === 'done') break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      assert.equal(progress.status, 'done')
      assert.equal(progress.processedRows, 5)
      assert.equal(progress.createdCount, 2)
      assert.equal(progress.errorCount, 3)
      assert.equal(progress.progress, 100)
      assert.deepEqual(
        progress.errors.map((error: any) => error.row),
        [3, 4, 5]
      )
    } finally {
      await stop()
    }
    const found = await get(client, tenant, '/clients?search=ada')
    const ada = found.body().data[0].attributes
    assert.equal(ada.name, 'Ada Lovelace')
    assert.deepEqual(ada.emails, [{ email: 'ada@example.test', label: null }])
    assert.deepEqual(ada.phones, [{ number: '+442079460018', label: null }])
    assert.deepEqual(ada.tags, ['math', 'vip'])
    const full = await get(client, tenant, `/clients/${found.body().data[0].id}`)
    assert.deepEqual(full.body().data.attributes.customFields, { size: 3 })
    assert.equal(full.body().data.attributes.addresses[0].city, 'London')

    // another tenant cannot see the import
    const other = await crmTenant(client)
    const imports = await db.from('crm_imports').where('tenant_id', tenant.tenantId)
    ;(await get(client, other, `/imports/${imports[0].id}`)).assertStatus(404)
  })

  test('CSV export holds every client of the tenant and nothing of others', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const other = await crmTenant(client)
    await createClient(client, tenant, {
      kind: 'company',
      name: 'Comma, Quote " Ltd',
      emails: [{ email: 'a@example.test' }, { email: 'b@example.test' }],
      tags: ['x'],
    })
    await createClient(client, tenant, { kind: 'person', name: 'Second' })
    await createClient(client, other, { kind: 'person', name: 'Not Mine' })
    const response = await get(client, tenant, '/clients/csv')
    response.assertStatus(200)
    assert.include(response.header('content-type'), 'text/csv')
    const text = response.text()
    const lines = text.trim().split('\n')
    assert.equal(lines[0], 'id,kind,name,companyName,status,emails,phones,tags,createdAt')
    assert.lengthOf(lines, 3)
    assert.include(text, '"Comma, Quote "" Ltd"')
    assert.include(text, 'a@example.test;b@example.test')
    assert.notInclude(text, 'Not Mine')
  })
})
