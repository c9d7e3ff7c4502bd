import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { tenantContext } from '#plinth'
import Invoice from '../models/invoice.js'
import { postInvoiceIssued } from '../services/postings.js'
import { invoicingSettings } from '../services/invoicing_plugin.js'
import { get, invTenant, issuedInvoice, ledgerEntries, post } from './helpers.js'

test.group('Invoicing payments', () => {
  test('partial then full payment: partially_paid → paid, cash / AR posted each time', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const invoice = await issuedInvoice(client, tenant)
    const first = await post(client, tenant, `/invoices/${invoice.id}/payments`, {
      amount: '4000',
      method: 'card',
    })
    first.assertStatus(201)
    assert.deepEqual(first.body().data.attributes.allocations, [
      { invoiceId: Number(invoice.id), amount: '4000', amountRefunded: '0' },
    ])
    let shown = (await get(client, tenant, `/invoices/${invoice.id}`)).body().data.attributes
    assert.equal(shown.status, 'partially_paid')
    assert.equal(shown.balance, '6000')

    const second = await post(client, tenant, `/invoices/${invoice.id}/payments`, {
      amount: 6000,
    })
    second.assertStatus(201)
    shown = (await get(client, tenant, `/invoices/${invoice.id}`)).body().data.attributes
    assert.equal(shown.status, 'paid')
    assert.equal(shown.balance, '0')
    assert.isNotNull(shown.paidAt)

    const entries = await ledgerEntries(tenant.tenantId)
    assert.lengthOf(entries, 3)
    assert.equal(entries[1].key, `invoicing:payment:${first.body().data.id}`)
    assert.equal(entries[1].reference, `payment:${first.body().data.id}`)
    assert.sameDeepMembers(entries[1].lines, [
      { account: '1020', currency: 'EUR', amount: '4000' },
      { account: '1100', currency: 'EUR', amount: '-4000' },
    ])
    const paidEvents = await db
      .from('event_outbox')
      .where({ tenant_id: tenant.tenantId, name: 'invoicing.invoice.paid' })
    assert.lengthOf(paidEvents, 1)
    const listed = await get(client, tenant, `/invoices/${invoice.id}/payments`)
    assert.lengthOf(listed.body().data, 2)
  })

  test('overpaying, a zero or negative amount, another currency: 4xx, nothing written or posted', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const invoice = await issuedInvoice(client, tenant)
    const before = await ledgerEntries(tenant.tenantId)
    const cases: [Record<string, unknown>, number, string][] = [
      [{ amount: '10001' }, 422, 'PAYMENT_EXCEEDS_BALANCE'],
      [{ amount: '0' }, 422, 'VALIDATION_ERROR'],
      [{ amount: '-5' }, 422, 'VALIDATION_ERROR'],
      [{ amount: '12.5' }, 422, 'VALIDATION_ERROR'],
      [{ amount: '100', currency: 'USD' }, 422, 'CURRENCY_MISMATCH'],
      [{ amount: '100', currency: 'QQQ' }, 422, 'VALIDATION_ERROR'],
    ]
    for (const [attributes, status, code] of cases) {
      const response = await post(client, tenant, `/invoices/${invoice.id}/payments`, attributes)
      assert.equal(response.status(), status, `${JSON.stringify(attributes)} → ${response.text()}`)
      assert.equal(response.body().errors[0].code, code, JSON.stringify(attributes))
    }
    assert.lengthOf(await db.from('invoicing_payments').where('tenant_id', tenant.tenantId), 0)
    assert.deepEqual(await ledgerEntries(tenant.tenantId), before)
    const draft = await post(client, tenant, '/invoices', {
      clientId: tenant.clientId,
      currency: 'EUR',
      lines: [{ description: 'Draft', quantity: 1, unitPrice: '100' }],
    })
    const onDraft = await post(client, tenant, `/invoices/${draft.body().data.id}/payments`, {
      amount: '100',
    })
    onDraft.assertStatus(409)
  })

  test("a payment without an invoice pays the client's oldest open invoices first (same currency)", async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const line = (price: string) => [{ description: 'Work', quantity: 1, unitPrice: price }]
    const newer = await issuedInvoice(client, tenant, line('3000'), {}, { issueDate: '2026-02-01' })
    const oldest = await issuedInvoice(
      client,
      tenant,
      line('2000'),
      {},
      { issueDate: '2026-01-01' }
    )
    const middle = await issuedInvoice(
      client,
      tenant,
      line('5000'),
      {},
      { issueDate: '2026-01-15' }
    )
    const dollars = await issuedInvoice(
      client,
      tenant,
      line('9999'),
      { currency: 'USD' },
      {
        issueDate: '2025-12-01',
      }
    )

    const tooMuch = await post(client, tenant, `/clients/${tenant.clientId}/payments`, {
      amount: '10001',
      currency: 'EUR',
    })
    tooMuch.assertStatus(422)
    assert.equal(tooMuch.body().errors[0].code, 'PAYMENT_EXCEEDS_BALANCE')

    const payment = await post(client, tenant, `/clients/${tenant.clientId}/payments`, {
      amount: '6000',
      currency: 'EUR',
    })
    payment.assertStatus(201)
    assert.deepEqual(
      payment.body().data.attributes.allocations.map((a: any) => [a.invoiceId, a.amount]),
      [
        [Number(oldest.id), '2000'],
        [Number(middle.id), '4000'],
      ]
    )
    const status = async (id: string) =>
      (await get(client, tenant, `/invoices/${id}`)).body().data.attributes
    assert.equal((await status(oldest.id)).status, 'paid')
    assert.equal((await status(middle.id)).status, 'partially_paid')
    assert.equal((await status(middle.id)).balance, '1000')
    assert.equal((await status(newer.id)).status, 'sent')
    assert.equal((await status(dollars.id)).status, 'sent', 'another currency is left alone')

    const unknown = await post(client, tenant, `/clients/999999/payments`, {
      amount: '1',
      currency: 'EUR',
    })
    unknown.assertStatus(404)
  })

  test('refunds: up to what is left of the payment; the invoice is owed again; AR / cash posted', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const invoice = await issuedInvoice(client, tenant)
    const payment = (
      await post(client, tenant, `/invoices/${invoice.id}/payments`, { amount: '10000' })
    ).body().data
    const part = await post(client, tenant, `/payments/${payment.id}/refunds`, {
      amount: '2500',
      reason: 'Goodwill',
    })
    part.assertStatus(201)
    let shown = (await get(client, tenant, `/invoices/${invoice.id}`)).body().data.attributes
    assert.equal(shown.status, 'partially_paid')
    assert.equal(shown.balance, '2500')

    const before = await ledgerEntries(tenant.tenantId)
    const tooMuch = await post(client, tenant, `/payments/${payment.id}/refunds`, {
      amount: '7501',
    })
    tooMuch.assertStatus(422)
    assert.equal(tooMuch.body().errors[0].code, 'REFUND_EXCEEDS_PAYMENT')
    assert.deepEqual(await ledgerEntries(tenant.tenantId), before)

    const rest = await post(client, tenant, `/payments/${payment.id}/refunds`, { amount: '7500' })
    rest.assertStatus(201)
    shown = (await get(client, tenant, `/invoices/${invoice.id}`)).body().data.attributes
    assert.equal(shown.status, 'sent')
    assert.equal(shown.balance, '10000')
    const refunds = await get(client, tenant, `/payments/${payment.id}/refunds`)
    assert.lengthOf(refunds.body().data, 2)

    const entries = await ledgerEntries(tenant.tenantId)
    assert.lengthOf(entries, 4)
    assert.equal(entries[2].key, `invoicing:refund:${part.body().data.id}`)
    assert.sameDeepMembers(entries[2].lines, [
      { account: '1100', currency: 'EUR', amount: '2500' },
      { account: '1020', currency: 'EUR', amount: '-2500' },
    ])
    // AR is back to the full invoice; cash back to zero
    const sum = (code: string) =>
      entries
        .flatMap((entry) => entry.lines)
        .filter((line) => line.account === code)
        .reduce((total, line) => total + BigInt(line.amount), 0n)
    assert.equal(sum('1100'), 10000n)
    assert.equal(sum('1020'), 0n)
  })

  test('a retried request with the same Idempotency-Key pays and posts once', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const invoice = await issuedInvoice(client, tenant)
    const key = randomUUID()
    const first = await post(
      client,
      tenant,
      `/invoices/${invoice.id}/payments`,
      { amount: '3000' },
      key
    )
    const retry = await post(
      client,
      tenant,
      `/invoices/${invoice.id}/payments`,
      { amount: '3000' },
      key
    )
    first.assertStatus(201)
    retry.assertStatus(201)
    assert.equal(retry.body().data.id, first.body().data.id)
    assert.lengthOf(await db.from('invoicing_payments').where('tenant_id', tenant.tenantId), 1)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 2)
    assert.equal(
      (await get(client, tenant, `/invoices/${invoice.id}`)).body().data.attributes.balance,
      '7000'
    )

    const draft = await post(client, tenant, '/invoices', {
      clientId: tenant.clientId,
      currency: 'EUR',
      lines: [{ description: 'Again', quantity: 1, unitPrice: '100' }],
    })
    const sendKey = randomUUID()
    const sent = await post(client, tenant, `/invoices/${draft.body().data.id}/send`, {}, sendKey)
    const resent = await post(client, tenant, `/invoices/${draft.body().data.id}/send`, {}, sendKey)
    sent.assertStatus(200)
    assert.equal(resent.status(), 200)
    assert.equal(resent.body().data.attributes.number, sent.body().data.attributes.number)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 3)
  })

  test('at the service level, posting an issue twice replays the first entry', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const issued = await issuedInvoice(client, tenant)
    const [first, second] = await tenantContext.run(tenant.tenantId, async () => {
      const invoice = await Invoice.findOrFail(Number(issued.id))
      const settings = await invoicingSettings()
      return db.transaction(async (trx) => [
        await postInvoiceIssued(invoice, invoice.issueDate!, settings, trx),
        await postInvoiceIssued(invoice, invoice.issueDate!, settings, trx),
      ])
    })
    assert.equal(second!.id, first!.id)
    assert.isTrue(second!.replayed)
    assert.equal(first!.id, issued.attributes.ledgerEntryId)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 1)
  })

  test('concurrent payments cannot together pay more than the balance', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const invoice = await issuedInvoice(client, tenant)
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        post(client, tenant, `/invoices/${invoice.id}/payments`, { amount: '4000' })
      )
    )
    const statuses = answers.map((answer) => answer.status()).sort()
    assert.deepEqual(statuses, [201, 201, 422, 422])
    const shown = (await get(client, tenant, `/invoices/${invoice.id}`)).body().data.attributes
    assert.equal(shown.amountPaid, '8000')
    assert.equal(shown.balance, '2000')
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 3)
  }).timeout(120_000)
})
