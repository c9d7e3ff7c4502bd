import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { startJobWorker, staffUser } from '#plinth/testing'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { crmTenant, get, type CrmTenant } from './helpers.js'

/* POST /imports as multipart/form-data: the file and the form's fields */
function upload(
  client: ApiClient,
  tenant: CrmTenant,
  file: { content: Buffer | string; name: string } | null,
  fields: Record<string, string> = {}
) {
  let request = client
    .post('/api/v1/crm/imports')
    .bearerToken(tenant.token)
    .header('Idempotency-Key', randomUUID())
  if (file) request = request.file('file', Buffer.from(file.content), { filename: file.name })
  for (const [name, value] of Object.entries(fields)) request = request.field(name, value)
  return request
}

const ROWS = 20_000
const HEADER = 'Full Name,Email,Phone,Company,Tags'

/*
 * ROWS rows: every 97th has a bad email, every 101st no name (row numbers in
 * the file count the header as 1). Names are unique, so each can be found.
 */
function generatedCsv() {
  const lines = [HEADER]
  const bad = new Map<number, string>()
  for (let index = 0; index < ROWS; index++) {
    const rowNumber = index + 2
    let name = `Client ${String(index).padStart(5, '0')} Upload`
    let email = `client${index}@upload.example`
    if (index % 101 === 0) {
      name = ''
      bad.set(rowNumber, 'name')
    } else if (index % 97 === 0) {
      email = `not-an-email-${index}`
      bad.set(rowNumber, 'emails.0.email')
    }
    const company = index % 5 === 0 ? `"Company ${index}, Ltd"` : ''
    lines.push(
      `${name},${email},+44 20 7946 ${String(index % 10_000).padStart(4, '0')},${company},a;b`
    )
  }
  return { csv: lines.join('\n'), bad }
}

test.group('CRM CSV import of uploaded files', () => {
  test('a multipart upload previews: columns, suggested mapping, first rows, row errors; writes nothing', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const { csv, bad } = generatedCsv()
    const response = await upload(
      client,
      tenant,
      { content: csv, name: 'clients.csv' },
      {
        preview: 'true',
      }
    )
    response.assertStatus(200)
    const preview = response.body().data.attributes
    assert.deepEqual(preview.headers, HEADER.split(','))
    assert.deepInclude(preview.mapping, {
      name: 'Full Name',
      email: 'Email',
      phone: 'Phone',
      companyName: 'Company',
      tags: 'Tags',
    })
    assert.equal(preview.totalRows, ROWS)
    assert.equal(preview.checkedRows, 1000)
    assert.lengthOf(preview.sample, 20)
    assert.equal(preview.sample[0].name, 'Client 00001 Upload')
    const expected = [...bad].filter(([row]) => row <= 1001)
    assert.deepEqual(
      preview.errors.map((error: any) => [error.row, error.field]),
      expected
    )
    const imports = await db.from('crm_imports').where('tenant_id', tenant.tenantId)
    assert.lengthOf(imports, 0)
    const clients = await db.from('crm_clients').where('tenant_id', tenant.tenantId)
    assert.lengthOf(clients, 0)
  })

  test('bad uploads: no file, wrong type, too large, bad mapping, not CSV; 4xx, nothing written', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const csv = 'Full Name,Email\nAda,ada@example.test\n'
    const mapping = JSON.stringify({ name: 'Full Name' })
    const cases: [ReturnType<typeof upload>, number, string | null][] = [
      [upload(client, tenant, null, { mapping }), 422, '/data/attributes/file'],
      [
        upload(client, tenant, { content: csv, name: 'clients.exe' }, { mapping }),
        422,
        '/data/attributes/file',
      ],
      [
        upload(client, tenant, { content: csv, name: 'clients.csv' }, { mapping: '{nope' }),
        422,
        '/data/attributes/mapping',
      ],
      [
        upload(client, tenant, { content: csv, name: 'clients.csv' }, { mapping: '{"name": 3}' }),
        422,
        '/data/attributes/mapping',
      ],
      [
        upload(client, tenant, { content: csv, name: 'clients.csv' }),
        422,
        '/data/attributes/mapping',
      ],
      [
        upload(
          client,
          tenant,
          { content: csv, name: 'clients.csv' },
          {
            mapping: JSON.stringify({ name: 'Nope' }),
          }
        ),
        422,
        '/data/attributes/mapping/name',
      ],
      [
        upload(
          client,
          tenant,
          { content: 'Full Name\n"unclosed', name: 'clients.csv' },
          { mapping }
        ),
        422,
        '/data/attributes/file',
      ],
      [
        upload(client, tenant, { content: 'Full Name\n', name: 'clients.csv' }, { mapping }),
        422,
        '/data/attributes/file',
      ],
      // over 50 MB: refused while streaming, before the file is read
      [
        upload(
          client,
          tenant,
          { content: Buffer.alloc(51 * 1024 * 1024, 'a'), name: 'clients.csv' },
          { mapping }
        ),
        413,
        null,
      ],
    ]
    for (const [request, status, pointer] of cases) {
      const response = await request
      assert.equal(response.status(), status, response.text())
      if (pointer) assert.equal(response.body().errors[0].source.pointer, pointer, response.text())
    }
    const imports = await db.from('crm_imports').where('tenant_id', tenant.tenantId)
    assert.lengthOf(imports, 0)
    const rows = await db.from('crm_import_rows').where('tenant_id', tenant.tenantId)
    assert.lengthOf(rows, 0)
  })

  test('20,000 rows uploaded: every good row imported, every bad row reported, progress, streamed export', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const other = await crmTenant(client)
    const { csv, bad } = generatedCsv()
    const stop = await startJobWorker()
    const seen: number[] = []
    let progress: any
    try {
      const started = await upload(
        client,
        tenant,
        { content: csv, name: 'clients.csv' },
        {
          mapping: JSON.stringify({
            name: 'Full Name',
            email: 'Email',
            phone: 'Phone',
            companyName: 'Company',
            tags: 'Tags',
          }),
        }
      )
      started.assertStatus(201)
      assert.equal(started.body().data.attributes.totalRows, ROWS)
      assert.equal(started.body().data.attributes.fileName, 'clients.csv')
      const id = started.body().data.id
      // another tenant cannot see it
      ;(await get(client, other, `/imports/${id}`)).assertStatus(404)
      // polled once a second: the API allows 100 requests a minute
      for (let attempt = 0; attempt < 1500; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 1000))
        const shown = await get(client, tenant, `/imports/${id}`)
        if (shown.status() === 429) continue
        progress = shown.body().data.attributes
        seen.push(progress.progress)
        if (progress.status === 'done') break
      }
    } finally {
      await stop()
    }
    assert.equal(progress.status, 'done')
    assert.equal(progress.processedRows, ROWS)
    assert.equal(progress.errorCount, bad.size)
    assert.equal(progress.createdCount, ROWS - bad.size)
    assert.equal(progress.progress, 100)
    // progress only moves forward
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b)
    )
    assert.deepEqual(
      progress.errors.map((error: any) => [error.row, error.field]),
      [...bad]
    )

    // nothing lost, nothing twice: every good row is one client
    const names = await db
      .from('crm_clients')
      .where('tenant_id', tenant.tenantId)
      .select('name')
      .orderBy('name')
    const expected: string[] = []
    for (let index = 0; index < ROWS; index++)
      if (!bad.has(index + 2)) expected.push(`Client ${String(index).padStart(5, '0')} Upload`)
    assert.deepEqual(
      names.map((row) => row.name),
      expected
    )
    const found = await get(client, tenant, '/clients?search=client%2019999%20upload')
    const last = found.body().data[0].attributes
    assert.equal(last.name, 'Client 19999 Upload')
    assert.deepEqual(last.emails, [{ email: 'client19999@upload.example', label: null }])
    assert.deepEqual(last.tags, ['a', 'b'])

    // the export streams every client (more than one batch) of this tenant only
    const exported = await get(client, tenant, '/clients/csv')
    exported.assertStatus(200)
    assert.equal(exported.header('transfer-encoding'), 'chunked')
    const lines = exported.text().trim().split('\n')
    assert.lengthOf(lines, ROWS - bad.size + 1)
    assert.include(exported.text(), '"Company 5, Ltd"')
  }).timeout(1_500_000)

  test('web: upload from the client list, map on the import page, follow its progress', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const other = await crmTenant(client)
    const user = await staffUser(tenant.ownerId)
    const lines = ['Client,Mail,Town']
    for (let index = 0; index < 300; index++)
      lines.push(`${index % 100 === 7 ? '' : `Web Client ${index}`},web${index}@example.test,Oslo`)
    const session = { tenantId: tenant.tenantId }
    const page = (path: string) => client.get(path).withInertia().loginAs(user).withSession(session)

    const list = await page('/app/crm')
    assert.isTrue(list.inertiaProps.canWrite)

    // a wrong file type goes back to the form, nothing stored
    const refused = await client
      .post('/app/crm/imports')
      .withCsrfToken()
      .loginAs(user)
      .withSession(session)
      .file('file', Buffer.from(lines.join('\n')), { filename: 'clients.pdf' })
      .redirects(0)
    refused.assertStatus(302)
    assert.lengthOf(await db.from('crm_imports').where('tenant_id', tenant.tenantId), 0)

    const uploaded = await client
      .post('/app/crm/imports')
      .withCsrfToken()
      .loginAs(user)
      .withSession(session)
      .file('file', Buffer.from(lines.join('\n')), { filename: 'web.csv' })
      .redirects(0)
    uploaded.assertStatus(302)
    const location = String(uploaded.header('location'))
    assert.match(location, /^\/app\/crm\/imports\/\d+$/)

    const pending = await page(location)
    pending.assertStatus(200)
    pending.assertInertiaComponent('plugins/crm/import')
    const shown = pending.inertiaProps.clientImport
    assert.equal(shown.status, 'pending')
    assert.equal(shown.totalRows, 300)
    assert.deepEqual(shown.headers, ['Client', 'Mail', 'Town'])
    assert.deepInclude(shown.mapping, { name: 'Client', email: 'Mail', city: 'Town' })
    assert.lengthOf(pending.inertiaProps.preview.sample, 20)
    assert.deepEqual(
      pending.inertiaProps.preview.errors.map((error: any) => error.row),
      [9, 109, 209]
    )
    // nothing is imported before the mapping is confirmed
    assert.lengthOf(await db.from('crm_clients').where('tenant_id', tenant.tenantId), 0)
    // another tenant's import page is a 404
    const user2 = await staffUser(other.ownerId)
    const foreign = await client
      .get(location)
      .withInertia()
      .loginAs(user2)
      .withSession({ tenantId: other.tenantId })
    foreign.assertStatus(404)

    const stop = await startJobWorker()
    let progress: any
    try {
      const started = await client
        .post(`${location}/start`)
        .withCsrfToken()
        .loginAs(user)
        .withSession(session)
        .json({ mapping: { name: 'Client', email: 'Mail' } })
        .redirects(0)
      started.assertStatus(302)
      assert.equal(started.header('location'), location)
      for (let attempt = 0; attempt < 600; attempt++) {
        progress = (await page(location)).inertiaProps.clientImport
        if (progress.status === 'done') break
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    } finally {
      await stop()
    }
    assert.equal(progress.status, 'done')
    assert.equal(progress.progress, 100)
    assert.equal(progress.createdCount, 297)
    assert.deepEqual(
      progress.errors.map((error: any) => [error.row, error.field]),
      [
        [9, 'name'],
        [109, 'name'],
        [209, 'name'],
      ]
    )
    // started once: a second start is refused
    const again = await client
      .post(`${location}/start`)
      .withCsrfToken()
      .loginAs(user)
      .withSession(session)
      .json({ mapping: { name: 'Client' } })
      .redirects(0)
    again.assertStatus(302)
    const count = await db.from('crm_clients').where('tenant_id', tenant.tenantId).count('* as n')
    assert.equal(Number(count[0].n), 297)
  }).timeout(300_000)
})
