import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  createCrmClient,
  draftInvoice,
  fetchBytes,
  get,
  invTenant,
  issuedInvoice,
  ledgerEntries,
  patch,
  pdfText,
  post,
} from './helpers.js'

test.group('Invoicing invoices', () => {
  test('a draft is issued by send: number, due date from the terms, AR / revenue / tax posted', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const vat = (await post(client, tenant, '/tax-rates', { name: 'VAT 20', rate: '20' })).body()
      .data
    const draft = await draftInvoice(
      client,
      tenant,
      [
        {
          description: 'Consulting',
          quantity: '1.5',
          unitPrice: '10000',
          taxRateId: Number(vat.id),
        },
        { description: 'Travel', quantity: 1, unitPrice: '2550' },
      ],
      { termsDays: 14 }
    )
    assert.equal(draft.attributes.status, 'draft')
    assert.isNull(draft.attributes.number)
    // 1.5 × 100.00 = 150.00 + 20% = 30.00; travel 25.50 without tax
    assert.equal(draft.attributes.subtotal, '17550')
    assert.equal(draft.attributes.taxTotal, '3000')
    assert.equal(draft.attributes.total, '20550')
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 0, 'a draft posts nothing')

    const sent = await post(client, tenant, `/invoices/${draft.id}/send`, {
      issueDate: '2026-03-01',
    })
    sent.assertStatus(200)
    const invoice = sent.body().data.attributes
    assert.equal(invoice.status, 'sent')
    assert.equal(invoice.number, 'INV-00001')
    assert.equal(invoice.sequence, 1)
    assert.equal(invoice.issueDate, '2026-03-01')
    assert.equal(invoice.dueDate, '2026-03-15')
    assert.equal(invoice.balance, '20550')

    const entries = await ledgerEntries(tenant.tenantId)
    assert.lengthOf(entries, 1)
    assert.equal(entries[0].sourcePlugin, 'invoicing')
    assert.equal(entries[0].reference, `invoice:${draft.id}`)
    assert.equal(entries[0].key, `invoicing:invoice:${draft.id}:issue`)
    assert.equal(entries[0].date, '2026-03-01')
    assert.sameDeepMembers(entries[0].lines, [
      { account: '1100', currency: 'EUR', amount: '20550' },
      { account: '4000', currency: 'EUR', amount: '-17550' },
      { account: '2100', currency: 'EUR', amount: '-3000' },
    ])
    const events = await db
      .from('event_outbox')
      .where('tenant_id', tenant.tenantId)
      .whereIn('name', ['invoicing.invoice.issued', 'invoicing.invoice.sent'])
    assert.lengthOf(events, 2)

    // sending again is refused and posts nothing more
    const again = await post(client, tenant, `/invoices/${draft.id}/send`, {})
    again.assertStatus(409)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 1)
  })

  test('a sent invoice keeps its lines: editing them is a 409 and changes nothing', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const invoice = await issuedInvoice(client, tenant)
    const edit = await patch(client, tenant, `/invoices/${invoice.id}`, {
      lines: [{ description: 'Cheaper', quantity: 1, unitPrice: '1' }],
    })
    edit.assertStatus(409)
    assert.equal(edit.body().errors[0].code, 'INVOICE_NOT_DRAFT')
    const shown = (await get(client, tenant, `/invoices/${invoice.id}`)).body().data.attributes
    assert.equal(shown.total, '10000')
    assert.equal(shown.lines[0].description, 'Consulting')
    // notes may still change
    const notes = await patch(client, tenant, `/invoices/${invoice.id}`, { notes: 'Thanks!' })
    notes.assertStatus(200)
    assert.equal(notes.body().data.attributes.notes, 'Thanks!')
  })

  test('bad lines are a 422 naming the field, nothing written, nothing posted', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const line = { description: 'X', quantity: 1, unitPrice: '100' }
    const cases: [Record<string, unknown>, string][] = [
      [{ lines: [{ ...line, quantity: -1 }] }, '/data/attributes/lines/0/quantity'],
      [{ lines: [{ ...line, quantity: 0 }] }, '/data/attributes/lines/0/quantity'],
      [{ lines: [{ ...line, quantity: '1.2345' }] }, '/data/attributes/lines/0/quantity'],
      [{ lines: [{ ...line, unitPrice: '-100' }] }, '/data/attributes/lines/0/unitPrice'],
      [{ lines: [{ ...line, unitPrice: 1.5 }] }, '/data/attributes/lines/0/unitPrice'],
      [{ currency: 'XYZ' }, '/data/attributes/currency'],
      [{ lines: [{ ...line, currency: 'USD' }] }, '/data/attributes/lines/0/currency'],
      [{ lines: [{ ...line, taxRateId: 999999 }] }, '/data/attributes/lines/0/taxRateId'],
      [{ lines: [] }, '/data/attributes/lines'],
      [{ clientId: 999999 }, '/data/attributes/clientId'],
      [{ dueDate: '2026-02-30' }, '/data/attributes/dueDate'],
    ]
    for (const [change, pointer] of cases) {
      const response = await post(client, tenant, '/invoices', {
        clientId: tenant.clientId,
        currency: 'EUR',
        lines: [line],
        ...change,
      })
      assert.equal(response.status(), 422, `${JSON.stringify(change)} → ${response.text()}`)
      assert.equal(response.body().errors[0].source?.pointer, pointer, JSON.stringify(change))
    }
    const mixed = await post(client, tenant, '/invoices', {
      clientId: tenant.clientId,
      currency: 'EUR',
      lines: [line, { ...line, currency: 'USD' }],
    })
    assert.equal(mixed.body().errors[0].code, 'CURRENCY_MISMATCH')
    assert.lengthOf(await db.from('invoicing_invoices').where('tenant_id', tenant.tenantId), 0)
    assert.lengthOf(await db.from('invoicing_lines').where('tenant_id', tenant.tenantId), 0)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 0)
  })

  test('numbers per tenant have no gaps or duplicates under 20 concurrent issues', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const other = await invTenant(client)
    const drafts = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        draftInvoice(client, tenant, [
          { description: `Job ${index}`, quantity: 1, unitPrice: '100' },
        ])
      )
    )
    const otherDraft = await draftInvoice(client, other)
    const sends = await Promise.all([
      ...drafts.map((draft) => post(client, tenant, `/invoices/${draft.id}/send`, {})),
      post(client, other, `/invoices/${otherDraft.id}/send`, {}),
    ])
    for (const response of sends) assert.equal(response.status(), 200, response.text())
    const numbers = sends
      .slice(0, 20)
      .map((response) => response.body().data.attributes.sequence as number)
      .sort((a, b) => a - b)
    assert.deepEqual(
      numbers,
      Array.from({ length: 20 }, (_, index) => index + 1)
    )
    // another tenant counts on its own
    assert.equal(sends[20].body().data.attributes.number, 'INV-00001')
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 20)
  }).timeout(120_000) // 42 requests; slow on a shared, loaded machine

  test('the invoice currency is posted as such (JPY has no minor digits); no conversion', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const yen = await issuedInvoice(
      client,
      tenant,
      [{ description: 'Tea', quantity: 3, unitPrice: '1250' }],
      {
        currency: 'JPY',
      }
    )
    assert.equal(yen.attributes.total, '3750')
    assert.equal(yen.attributes.totalFormatted, '3750')
    const dinar = await issuedInvoice(
      client,
      tenant,
      [{ description: 'Oud', quantity: 1, unitPrice: '12345' }],
      {
        currency: 'BHD',
      }
    )
    assert.equal(dinar.attributes.totalFormatted, '12.345')
    const entries = await ledgerEntries(tenant.tenantId)
    assert.deepEqual(
      entries.map((entry) => entry.lines.map((line) => line.currency)),
      [
        ['JPY', 'JPY'],
        ['BHD', 'BHD'],
      ]
    )
    assert.equal(entries[0].lines.find((line) => line.account === '1100')!.amount, '3750')
  })

  test('drafts can be deleted; issued ones are voided (reversal posted); paid ones neither', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const draft = await draftInvoice(client, tenant)
    const deleted = await client
      .delete(`/api/v1/invoicing/invoices/${draft.id}`)
      .bearerToken(tenant.token)
    deleted.assertStatus(204)
    ;(await get(client, tenant, `/invoices/${draft.id}`)).assertStatus(404)

    const sent = await issuedInvoice(client, tenant)
    const refuseDelete = await client
      .delete(`/api/v1/invoicing/invoices/${sent.id}`)
      .bearerToken(tenant.token)
    refuseDelete.assertStatus(409)
    const voided = await post(client, tenant, `/invoices/${sent.id}/void`, { reason: 'Duplicate' })
    voided.assertStatus(200)
    assert.equal(voided.body().data.attributes.status, 'void')
    assert.equal(voided.body().data.attributes.balance, '0')
    const entries = await ledgerEntries(tenant.tenantId)
    assert.lengthOf(entries, 2)
    assert.equal(entries[1].key, `invoicing:invoice:${sent.id}:void`)
    assert.sameDeepMembers(entries[1].lines, [
      { account: '1100', currency: 'EUR', amount: '-10000' },
      { account: '4000', currency: 'EUR', amount: '10000' },
    ])
    ;(await post(client, tenant, `/invoices/${sent.id}/void`, {})).assertStatus(409)

    const paid = await issuedInvoice(client, tenant)
    ;(
      await post(client, tenant, `/invoices/${paid.id}/payments`, { amount: '10000' })
    ).assertStatus(201)
    const before = (await ledgerEntries(tenant.tenantId)).length
    const voidPaid = await post(client, tenant, `/invoices/${paid.id}/void`, {})
    voidPaid.assertStatus(409)
    assert.equal(voidPaid.body().errors[0].code, 'INVOICE_PAID')
    const deletePaid = await client
      .delete(`/api/v1/invoicing/invoices/${paid.id}`)
      .bearerToken(tenant.token)
    deletePaid.assertStatus(409)
    assert.equal(deletePaid.body().errors[0].code, 'INVOICE_PAID')
    assert.equal(
      (await get(client, tenant, `/invoices/${paid.id}`)).body().data.attributes.status,
      'paid'
    )
    assert.lengthOf(await ledgerEntries(tenant.tenantId), before)
  })

  test('a credit note: own number, opposite posting, lowers the balance, at most the balance', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const vat = (await post(client, tenant, '/tax-rates', { name: 'VAT 10', rate: '10' })).body()
      .data
    const invoice = await issuedInvoice(client, tenant, [
      { description: 'Work', quantity: 2, unitPrice: '5000', taxRateId: Number(vat.id) },
    ])
    assert.equal(invoice.attributes.total, '11000')

    const tooMuch = await post(client, tenant, `/invoices/${invoice.id}/credit-notes`, {
      reason: 'Too much',
      lines: [{ description: 'Work', quantity: 3, unitPrice: '5000', taxRateId: Number(vat.id) }],
    })
    tooMuch.assertStatus(422)
    assert.equal(tooMuch.body().errors[0].code, 'CREDIT_EXCEEDS_BALANCE')

    const note = await post(client, tenant, `/invoices/${invoice.id}/credit-notes`, {
      reason: 'One day less',
      lines: [{ description: 'Work', quantity: 1, unitPrice: '5000', taxRateId: Number(vat.id) }],
    })
    note.assertStatus(201)
    assert.equal(note.body().data.type, 'invoicing-credit-note')
    assert.equal(note.body().data.attributes.number, 'CN-00001')
    assert.equal(note.body().data.attributes.total, '5500')
    assert.equal(note.body().data.attributes.creditedInvoiceId, Number(invoice.id))

    const after = (await get(client, tenant, `/invoices/${invoice.id}`)).body().data.attributes
    assert.equal(after.amountCredited, '5500')
    assert.equal(after.balance, '5500')
    assert.equal(after.status, 'sent')
    const list = await get(client, tenant, `/invoices/${invoice.id}/credit-notes`)
    assert.deepEqual(
      list.body().data.map((row: any) => row.id),
      [note.body().data.id]
    )
    const entries = await ledgerEntries(tenant.tenantId)
    assert.lengthOf(entries, 2)
    assert.equal(entries[1].key, `invoicing:credit-note:${note.body().data.id}`)
    assert.sameDeepMembers(entries[1].lines, [
      { account: '4000', currency: 'EUR', amount: '5000' },
      { account: '2100', currency: 'EUR', amount: '500' },
      { account: '1100', currency: 'EUR', amount: '-5500' },
    ])
    const noteId = note.body().data.id
    const shownNote = await get(client, tenant, `/credit-notes/${noteId}`)
    assert.equal(shownNote.body().data.attributes.reason, 'One day less')
    ;(await get(client, tenant, `/credit-notes/${invoice.id}`)).assertStatus(404)
    const pdf = await fetchBytes(tenant, `/credit-notes/${noteId}/pdf`)
    assert.equal(pdf.status, 200)
    const text = await pdfText(pdf.bytes)
    assert.include(text, 'Credit note CN-00001')
    assert.include(text, 'Reason: One day less')
    assert.include(text, 'Total: 55.00 EUR')
    // credit notes are not invoices: not listed among them
    const invoices = (await get(client, tenant, '/invoices')).body().data
    assert.deepEqual(
      invoices.map((row: any) => row.id),
      [invoice.id]
    )
  })

  test('a draft needs a client to be issued; the due date cannot precede the issue date', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const noClient = await draftInvoice(client, tenant, undefined, { clientId: null })
    const refused = await post(client, tenant, `/invoices/${noClient.id}/send`, {})
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].source.pointer, '/data/attributes/clientId')
    const early = await draftInvoice(client, tenant, undefined, { dueDate: '2026-01-01' })
    const late = await post(client, tenant, `/invoices/${early.id}/send`, {
      issueDate: '2026-02-01',
    })
    late.assertStatus(422)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 0)
    assert.lengthOf(
      await db
        .from('invoicing_counters')
        .where('tenant_id', tenant.tenantId)
        .where('last_number', '>', 0),
      0,
      'a refused issue takes no number'
    )
  })

  test('the PDF shows the number, the client and the totals', async ({ client, assert }) => {
    const tenant = await invTenant(client, { companyName: 'Plinth Salon Ltd' })
    const clientId = await createCrmClient(client, tenant, 'Wile E. Coyote')
    const vat = (await post(client, tenant, '/tax-rates', { name: 'VAT 20', rate: '20' })).body()
      .data
    const invoice = await issuedInvoice(
      client,
      tenant,
      [
        {
          description: 'Rocket skates',
          quantity: 2,
          unitPrice: '12550',
          taxRateId: Number(vat.id),
        },
      ],
      { clientId }
    )
    const pdf = await fetchBytes(tenant, `/invoices/${invoice.id}/pdf`)
    assert.equal(pdf.status, 200)
    assert.equal(pdf.type, 'application/pdf')
    assert.equal(Buffer.from(pdf.bytes.slice(0, 5)).toString(), '%PDF-')
    const text = await pdfText(pdf.bytes)
    assert.include(text, 'Invoice INV-00001')
    assert.include(text, 'Wile E. Coyote')
    assert.include(text, 'Plinth Salon Ltd')
    assert.include(text, 'Rocket skates')
    assert.include(text, 'Subtotal: 251.00 EUR')
    assert.include(text, 'Tax: 50.20 EUR')
    assert.include(text, 'Total: 301.20 EUR')
    assert.include(text, 'Balance due: 301.20 EUR')

    const other = await invTenant(client)
    const hidden = await fetchBytes(other, `/invoices/${invoice.id}/pdf`)
    assert.equal(hidden.status, 404)
  })

  test('an account of the settings the ledger does not know: 409, the invoice stays a draft', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client, { accounts: { revenue: '9999' } })
    const draft = await draftInvoice(client, tenant)
    const refused = await post(client, tenant, `/invoices/${draft.id}/send`, {})
    refused.assertStatus(409)
    assert.equal(refused.body().errors[0].code, 'LEDGER_ACCOUNT_UNUSABLE')
    assert.include(refused.body().errors[0].detail, '9999')
    const shown = (await get(client, tenant, `/invoices/${draft.id}`)).body().data.attributes
    assert.equal(shown.status, 'draft')
    assert.isNull(shown.number)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 0)
    const fixed = await client
      .put('/api/v1/plugins/invoicing/settings')
      .bearerToken(tenant.token)
      .json({ data: { attributes: { accounts: { revenue: '4100' } } } })
    fixed.assertStatus(200)
    const sent = await post(client, tenant, `/invoices/${draft.id}/send`, {})
    sent.assertStatus(200)
    assert.equal(sent.body().data.attributes.number, 'INV-00001')
    const [entry] = await ledgerEntries(tenant.tenantId)
    assert.include(
      entry.lines.map((line) => line.account),
      '4100'
    )
  })
})
