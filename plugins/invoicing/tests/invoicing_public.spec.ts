import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { ApiError, tenantContext } from '#plinth'
import { createInvoice, findInvoice, isInvoicingEnabled } from '../public.js'
import { get, invTenant, ledgerEntries, post } from './helpers.js'

/* What other plugins (salon) use to bill a client: plugins/invoicing/public.ts */
test.group('Invoicing public API (billing from another plugin)', () => {
  test('createInvoice issues an invoice once per source reference', async ({ client, assert }) => {
    const tenant = await invTenant(client)
    const vat = (await post(client, tenant, '/tax-rates', { name: 'VAT 20', rate: '20' })).body()
      .data
    const request = {
      clientId: tenant.clientId,
      currency: 'EUR',
      lines: [
        { description: 'Haircut', quantity: 1, unitPrice: '3000', taxRateId: Number(vat.id) },
        { description: 'Shampoo', quantity: '2', unitPrice: 450n },
      ],
      sourceReference: 'salon:appointment:981',
      issue: true,
    }
    const first = await tenantContext.run(tenant.tenantId, () => createInvoice(request))
    assert.deepInclude(first, {
      number: 'INV-00001',
      status: 'sent',
      currency: 'EUR',
      total: '4500',
      balance: '4500',
      sourceReference: 'salon:appointment:981',
      created: true,
    })
    const again = await tenantContext.run(tenant.tenantId, () => createInvoice(request))
    assert.equal(again.id, first.id)
    assert.isFalse(again.created)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 1)
    const shown = (await get(client, tenant, `/invoices/${first.id}`)).body().data.attributes
    assert.equal(shown.sourceReference, 'salon:appointment:981')
    assert.deepEqual(await tenantContext.run(tenant.tenantId, () => findInvoice(first.id)), {
      ...first,
      created: false,
    })
    assert.isTrue(await tenantContext.run(tenant.tenantId, () => isInvoicingEnabled()))
  })

  test("inside the caller's transaction: a rollback leaves no invoice, number or posting", async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    await tenantContext
      .run(tenant.tenantId, () =>
        db.transaction(async (trx) => {
          const invoice = await createInvoice({
            clientId: tenant.clientId,
            currency: 'EUR',
            lines: [{ description: 'Colour', quantity: 1, unitPrice: '8000' }],
            sourceReference: 'salon:appointment:1',
            issue: true,
            trx,
          })
          assert.equal(invoice.number, 'INV-00001')
          throw new Error('the booking failed')
        })
      )
      .catch((error) => assert.equal(error.message, 'the booking failed'))
    assert.lengthOf(await db.from('invoicing_invoices').where('tenant_id', tenant.tenantId), 0)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 0)
    const next = await tenantContext.run(tenant.tenantId, () =>
      createInvoice({
        clientId: tenant.clientId,
        currency: 'EUR',
        lines: [{ description: 'Colour', quantity: 1, unitPrice: '8000' }],
        sourceReference: 'salon:appointment:1',
        issue: true,
      })
    )
    assert.equal(next.number, 'INV-00001', 'the rolled back number is not lost')
  })

  test('bad input throws a 4xx ApiError and writes nothing; a tenant without invoicing is refused', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const base = {
      clientId: tenant.clientId,
      currency: 'EUR',
      lines: [{ description: 'Cut', quantity: 1, unitPrice: '100' }],
      sourceReference: `salon:appointment:${randomUUID()}`,
    }
    const attempts: [Record<string, unknown>, string][] = [
      [{ currency: 'EURO' }, '/data/attributes/currency'],
      [
        { lines: [{ description: 'Cut', quantity: -1, unitPrice: '100' }] },
        '/data/attributes/lines/0/quantity',
      ],
      [
        { lines: [{ description: 'Cut', quantity: 1, unitPrice: '-100' }] },
        '/data/attributes/lines/0/unitPrice',
      ],
      [
        { lines: [{ description: 'Cut', quantity: 1, unitPrice: 0.5 }] },
        '/data/attributes/lines/0/unitPrice',
      ],
      [{ clientId: 999999 }, '/data/attributes/clientId'],
      [{ sourceReference: '' }, '/data/attributes/sourceReference'],
    ]
    for (const [change, pointer] of attempts) {
      const error = await tenantContext
        .run(tenant.tenantId, () => createInvoice({ ...base, ...change, issue: true } as any))
        .then(() => null)
        .catch((caught) => caught)
      assert.instanceOf(error, ApiError, JSON.stringify(change))
      assert.equal(error.status, 422, JSON.stringify(change))
      assert.equal(error.pointer, pointer, JSON.stringify(change))
    }
    assert.lengthOf(await db.from('invoicing_invoices').where('tenant_id', tenant.tenantId), 0)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 0)

    const off = await client.post('/api/v1/signup').json({
      data: {
        attributes: {
          tenantName: 'No invoicing',
          tenantSlug: `no-inv-${randomUUID().slice(0, 8)}`,
          fullName: 'No invoicing',
          email: `no-inv-${randomUUID().slice(0, 8)}@example.test`,
          password: 'invoicing tests password 1',
        },
      },
    })
    const offTenant = Number(off.body().data.id)
    assert.isFalse(await tenantContext.run(offTenant, () => isInvoicingEnabled()))
    const refused = await tenantContext
      .run(offTenant, () => createInvoice(base))
      .catch((caught) => caught)
    assert.equal(refused.status, 409)
    assert.equal(refused.code, 'PLUGIN_NOT_ENABLED')
  })
})

test.group('Invoicing tenant isolation', () => {
  test("tenant B cannot pay, credit, void, refund or list tenant A's documents", async ({
    client,
    assert,
  }) => {
    const a = await invTenant(client)
    const b = await invTenant(client)
    const invoice = (
      await post(client, a, '/invoices', {
        clientId: a.clientId,
        currency: 'EUR',
        lines: [{ description: 'A work', quantity: 1, unitPrice: '1000' }],
      })
    ).body().data
    await post(client, a, `/invoices/${invoice.id}/send`, {})
    const payment = (
      await post(client, a, `/invoices/${invoice.id}/payments`, { amount: '400' })
    ).body().data
    const before = await ledgerEntries(a.tenantId)

    const attempts = [
      post(client, b, `/invoices/${invoice.id}/payments`, { amount: '1' }),
      post(client, b, `/invoices/${invoice.id}/void`, {}),
      post(client, b, `/invoices/${invoice.id}/send`, {}),
      post(client, b, `/invoices/${invoice.id}/credit-notes`, {
        reason: 'x',
        lines: [{ description: 'x', quantity: 1, unitPrice: '1' }],
      }),
      post(client, b, `/payments/${payment.id}/refunds`, { amount: '1' }),
      post(client, b, `/clients/${a.clientId}/payments`, { amount: '1', currency: 'EUR' }),
      get(client, b, `/payments/${payment.id}`),
      get(client, b, `/invoices/${invoice.id}/payments`),
    ]
    for (const response of await Promise.all(attempts))
      assert.equal(response.status(), 404, response.text())
    for (const list of ['/invoices', '/payments', '/quotes'])
      assert.lengthOf((await get(client, b, list)).body().data, 0, list)
    assert.deepEqual(await ledgerEntries(a.tenantId), before)
    assert.lengthOf(await ledgerEntries(b.tenantId), 0)
    const shown = (await get(client, a, `/invoices/${invoice.id}`)).body().data.attributes
    assert.equal(shown.balance, '600')
  })
})
