import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { daysFromToday, get, invTenant, ledgerEntries, patch, post } from './helpers.js'

const lines = [
  { description: 'Design', quantity: '2.5', unitPrice: '8000' },
  { description: 'Hosting', quantity: 12, unitPrice: '999' },
]

test.group('Invoicing quotes', () => {
  test('totals are the sum of the lines; send, approve with the typed name, convert', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const vat = (await post(client, tenant, '/tax-rates', { name: 'VAT 7', rate: '7' })).body().data
    const created = await post(client, tenant, '/quotes', {
      clientId: tenant.clientId,
      currency: 'EUR',
      expiresOn: daysFromToday(30),
      lines: [lines[0], { ...lines[1], taxRateId: Number(vat.id) }],
      deposit: '5000',
    })
    created.assertStatus(201)
    const quote = created.body().data
    const sum = (field: string) =>
      quote.attributes.lines.reduce((total: bigint, line: any) => total + BigInt(line[field]), 0n)
    // 2.5 × 80.00 = 200.00; 12 × 9.99 = 119.88 + 7% = 8.3916 → 8.39
    assert.equal(quote.attributes.subtotal, '31988')
    assert.equal(quote.attributes.taxTotal, '839')
    assert.equal(quote.attributes.total, '32827')
    assert.equal(String(sum('net')), quote.attributes.subtotal)
    assert.equal(String(sum('tax')), quote.attributes.taxTotal)
    assert.equal(String(sum('total')), quote.attributes.total)
    assert.equal(quote.attributes.status, 'draft')
    assert.equal(quote.attributes.deposit, '5000')

    const approveDraft = await post(client, tenant, `/quotes/${quote.id}/approve`, {
      signatureName: 'Jane Client',
    })
    approveDraft.assertStatus(409)

    const sent = await post(client, tenant, `/quotes/${quote.id}/send`, {})
    sent.assertStatus(200)
    assert.equal(sent.body().data.attributes.status, 'sent')
    const edit = await patch(client, tenant, `/quotes/${quote.id}`, { notes: 'late' })
    edit.assertStatus(409)

    const blank = await post(client, tenant, `/quotes/${quote.id}/approve`, { signatureName: '  ' })
    blank.assertStatus(422)
    assert.equal(blank.body().errors[0].source.pointer, '/data/attributes/signatureName')

    const approved = await post(client, tenant, `/quotes/${quote.id}/approve`, {
      signatureName: 'Jane Client',
    })
    approved.assertStatus(200)
    assert.equal(approved.body().data.attributes.status, 'approved')
    assert.equal(approved.body().data.attributes.signatureName, 'Jane Client')
    assert.isNotNull(approved.body().data.attributes.approvedAt)
    const audit = await db
      .from('audit_logs')
      .where({ tenant_id: tenant.tenantId, action: 'invoicing.quote.approved' })
    assert.lengthOf(audit, 1)

    const converted = await post(client, tenant, `/quotes/${quote.id}/convert`, {})
    converted.assertStatus(201)
    assert.equal(converted.body().data.attributes.status, 'converted')
    const invoiceId = converted.body().meta.invoiceId
    const invoice = (await get(client, tenant, `/invoices/${invoiceId}`)).body().data.attributes
    assert.equal(invoice.status, 'draft')
    assert.equal(invoice.total, '32827')
    assert.equal(invoice.quoteId, Number(quote.id))
    assert.lengthOf(invoice.lines, 2)
    assert.equal(invoice.lines[1].tax, '839')
    const twice = await post(client, tenant, `/quotes/${quote.id}/convert`, {})
    twice.assertStatus(409)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 0, 'a draft invoice posts nothing')
  })

  test('convert with issue: true issues the invoice at once', async ({ client, assert }) => {
    const tenant = await invTenant(client)
    const quote = (
      await post(client, tenant, '/quotes', {
        clientId: tenant.clientId,
        currency: 'GBP',
        expiresOn: daysFromToday(5),
        lines,
      })
    ).body().data
    await post(client, tenant, `/quotes/${quote.id}/send`, {})
    await post(client, tenant, `/quotes/${quote.id}/approve`, { signatureName: 'Bob' })
    const converted = await post(client, tenant, `/quotes/${quote.id}/convert`, { issue: true })
    converted.assertStatus(201)
    const invoice = (
      await get(client, tenant, `/invoices/${converted.body().meta.invoiceId}`)
    ).body().data.attributes
    assert.equal(invoice.status, 'sent')
    assert.equal(invoice.number, 'INV-00001')
    const entries = await ledgerEntries(tenant.tenantId)
    assert.lengthOf(entries, 1)
    assert.equal(entries[0].lines[0].currency, 'GBP')
  })

  test('an expired quote cannot be approved; expiry must be in the future; deposit ≤ total', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const base = { clientId: tenant.clientId, currency: 'EUR', lines }
    const past = await post(client, tenant, '/quotes', { ...base, expiresOn: daysFromToday(-1) })
    past.assertStatus(422)
    assert.equal(past.body().errors[0].source.pointer, '/data/attributes/expiresOn')
    const today = await post(client, tenant, '/quotes', { ...base, expiresOn: daysFromToday(0) })
    today.assertStatus(422)
    const bigDeposit = await post(client, tenant, '/quotes', {
      ...base,
      expiresOn: daysFromToday(10),
      deposit: '31989',
    })
    bigDeposit.assertStatus(422)
    assert.equal(bigDeposit.body().errors[0].source.pointer, '/data/attributes/deposit')
    const negative = await post(client, tenant, '/quotes', {
      ...base,
      expiresOn: daysFromToday(10),
      lines: [{ description: 'x', quantity: '-1', unitPrice: '100' }],
    })
    negative.assertStatus(422)
    assert.lengthOf(await db.from('invoicing_quotes').where('tenant_id', tenant.tenantId), 0)

    const quote = (
      await post(client, tenant, '/quotes', { ...base, expiresOn: daysFromToday(3) })
    ).body().data
    ;(await post(client, tenant, `/quotes/${quote.id}/send`, {})).assertStatus(200)
    // time passes: the quote expired yesterday
    await db
      .from('invoicing_quotes')
      .where('id', quote.id)
      .update({ expires_on: daysFromToday(-1) })
    const late = await post(client, tenant, `/quotes/${quote.id}/approve`, {
      signatureName: 'Too Late',
    })
    late.assertStatus(409)
    assert.equal(late.body().errors[0].code, 'QUOTE_EXPIRED')
    const row = await db.from('invoicing_quotes').where('id', quote.id).first()
    assert.equal(row.status, 'sent')
    assert.isNull(row.signature_name)
    ;(await post(client, tenant, `/quotes/${quote.id}/convert`, {})).assertStatus(409)
    assert.lengthOf(await db.from('invoicing_invoices').where('tenant_id', tenant.tenantId), 0)
  })

  test('a draft quote can change (lines replace, totals follow); sending needs a client', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const quote = (
      await post(client, tenant, '/quotes', {
        currency: 'EUR',
        expiresOn: daysFromToday(10),
        lines,
      })
    ).body().data
    const noClient = await post(client, tenant, `/quotes/${quote.id}/send`, {})
    noClient.assertStatus(422)
    const changed = await patch(client, tenant, `/quotes/${quote.id}`, {
      clientId: tenant.clientId,
      lines: [{ description: 'Only this', quantity: 1, unitPrice: '500' }],
    })
    changed.assertStatus(200)
    assert.equal(changed.body().data.attributes.total, '500')
    assert.lengthOf(changed.body().data.attributes.lines, 1)
    const deposit = await patch(client, tenant, `/quotes/${quote.id}`, { deposit: '501' })
    deposit.assertStatus(422)
    ;(await post(client, tenant, `/quotes/${quote.id}/send`, {})).assertStatus(200)
    const other = await invTenant(client)
    ;(await get(client, other, `/quotes/${quote.id}`)).assertStatus(404)
    ;(
      await post(client, other, `/quotes/${quote.id}/approve`, { signatureName: 'Mallory' })
    ).assertStatus(404)
  })
})
