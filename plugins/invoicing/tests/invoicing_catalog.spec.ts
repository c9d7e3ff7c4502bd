import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  divideHalfUp,
  formatQuantity,
  lineAmounts,
  parseQuantity,
  parseRatePercent,
} from '../services/amounts.js'
import { draftInvoice, get, invTenant, ledgerEntries, patch, post } from './helpers.js'

test.group('Invoicing amounts (exact, per line, half up)', () => {
  test('half a minor unit rounds up, less than half rounds down', ({ assert }) => {
    assert.equal(divideHalfUp(5n, 10n), 1n) // 0.5 → 1
    assert.equal(divideHalfUp(4n, 10n), 0n) // 0.4 → 0
    assert.equal(divideHalfUp(15n, 10n), 2n) // 1.5 → 2
    assert.equal(divideHalfUp(25n, 10n), 3n) // 2.5 → 3 (half up, not banker's)
    assert.equal(divideHalfUp(2n ** 70n, 1n), 2n ** 70n)
  })

  test('exclusive tax is added to the rounded amount; inclusive tax is taken out of it', ({
    assert,
  }) => {
    // 3 × 0.33 at 20%: 0.99 net, 0.198 → 0.20 tax
    assert.deepEqual(
      lineAmounts({ quantityMilli: 3000n, unitPrice: 33n, ratePpm: 200_000, inclusive: false }),
      { net: 99n, tax: 20n, total: 119n }
    )
    // 1.5 × 0.35 = 0.525 → 0.53
    assert.deepEqual(
      lineAmounts({ quantityMilli: 1500n, unitPrice: 35n, ratePpm: 0, inclusive: false }),
      { net: 53n, tax: 0n, total: 53n }
    )
    // 10.00 including 20%: net 8.333 → 8.33, tax 1.67, total stays 10.00
    assert.deepEqual(
      lineAmounts({ quantityMilli: 1000n, unitPrice: 1000n, ratePpm: 200_000, inclusive: true }),
      { net: 833n, tax: 167n, total: 1000n }
    )
    // 8.875% on 19.99: 1.7741 → 1.77
    assert.deepEqual(
      lineAmounts({ quantityMilli: 1000n, unitPrice: 1999n, ratePpm: 88_750, inclusive: false }),
      { net: 1999n, tax: 177n, total: 2176n }
    )
    // 100% inclusive: half each
    assert.deepEqual(
      lineAmounts({ quantityMilli: 1000n, unitPrice: 1001n, ratePpm: 1_000_000, inclusive: true }),
      { net: 501n, tax: 500n, total: 1001n }
    )
  })

  test('quantities and rates are read exactly or refused', ({ assert }) => {
    assert.equal(parseQuantity('1.5'), 1500n)
    assert.equal(parseQuantity(2), 2000n)
    assert.equal(parseQuantity('0.001'), 1n)
    for (const bad of ['0', '-1', '1.0001', '1e3', '', 'abc', -2, 0.0001, null])
      assert.isNull(parseQuantity(bad), String(bad))
    assert.equal(formatQuantity(1500n), '1.5')
    assert.equal(parseRatePercent('20'), 200_000)
    assert.equal(parseRatePercent('8.875'), 88_750)
    assert.equal(parseRatePercent(0), 0)
    assert.equal(parseRatePercent('100'), 1_000_000)
    for (const bad of ['100.0001', '101', '-1', '1.23456', 'x', null])
      assert.isNull(parseRatePercent(bad), String(bad))
  })
})

test.group('Invoicing catalog', () => {
  test('tax rates: percent to 4 decimals, inclusive or not; out of range is a 422', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const rate = await post(client, tenant, '/tax-rates', {
      name: 'NY sales tax',
      rate: '8.875',
    })
    rate.assertStatus(201)
    assert.equal(rate.body().data.attributes.rate, '8.875')
    assert.equal(rate.body().data.attributes.ratePpm, 88750)
    assert.isFalse(rate.body().data.attributes.inclusive)
    for (const bad of ['-1', '100.5', '150', '12.34567', 'twenty', 1e21]) {
      const response = await post(client, tenant, '/tax-rates', { name: 'Bad', rate: bad })
      assert.equal(response.status(), 422, `${bad} → ${response.text()}`)
      assert.equal(response.body().errors[0].source.pointer, '/data/attributes/rate')
    }
    const rows = await db.from('invoicing_tax_rates').where('tenant_id', tenant.tenantId)
    assert.lengthOf(rows, 1)
    const archived = await patch(client, tenant, `/tax-rates/${rate.body().data.id}`, {
      archived: true,
    })
    assert.isTrue(archived.body().data.attributes.archived)
  })

  test('items have a price per currency; a line takes the price in the invoice currency', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const vat = (
      await post(client, tenant, '/tax-rates', { name: 'VAT incl.', rate: '20', inclusive: true })
    ).body().data
    const item = await post(client, tenant, '/items', {
      kind: 'service',
      name: 'Haircut',
      taxRateId: Number(vat.id),
      prices: [
        { currency: 'eur', unitPrice: '3600' },
        { currency: 'JPY', unitPrice: 5000 },
      ],
    })
    item.assertStatus(201)
    assert.deepEqual(item.body().data.attributes.prices, [
      { currency: 'EUR', unitPrice: '3600' },
      { currency: 'JPY', unitPrice: '5000' },
    ])
    const itemId = Number(item.body().data.id)
    const invoice = await draftInvoice(client, tenant, [{ itemId, quantity: 2 }])
    assert.equal(invoice.attributes.lines[0].description, 'Haircut')
    assert.equal(invoice.attributes.lines[0].unitPrice, '3600')
    assert.isTrue(invoice.attributes.lines[0].taxInclusive)
    // 72.00 including 20%: 60.00 + 12.00
    assert.equal(invoice.attributes.total, '7200')
    assert.equal(invoice.attributes.subtotal, '6000')
    assert.equal(invoice.attributes.taxTotal, '1200')

    const noPrice = await post(client, tenant, '/invoices', {
      clientId: tenant.clientId,
      currency: 'USD',
      lines: [{ itemId, quantity: 1 }],
    })
    noPrice.assertStatus(422)
    assert.equal(noPrice.body().errors[0].source.pointer, '/data/attributes/lines/0/unitPrice')

    const renamed = await patch(client, tenant, `/items/${itemId}`, {
      prices: [{ currency: 'USD', unitPrice: '4000' }],
    })
    renamed.assertStatus(200)
    assert.deepEqual(renamed.body().data.attributes.prices, [
      { currency: 'USD', unitPrice: '4000' },
    ])
    const list = await get(client, tenant, '/items?search=hair')
    assert.deepEqual(
      list.body().data.map((row: any) => row.id),
      [String(itemId)]
    )
  })

  test('bad items are a 422 and write nothing', async ({ client, assert }) => {
    const tenant = await invTenant(client)
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'robot', name: 'X' }, '/data/attributes/kind'],
      [{ kind: 'product', name: '' }, '/data/attributes/name'],
      [
        { kind: 'product', name: 'X', prices: [{ currency: 'ABC', unitPrice: '1' }] },
        '/data/attributes/prices/0/currency',
      ],
      [
        { kind: 'product', name: 'X', prices: [{ currency: 'EUR', unitPrice: '-1' }] },
        '/data/attributes/prices/0/unitPrice',
      ],
      [
        { kind: 'product', name: 'X', prices: [{ currency: 'EUR', unitPrice: '1.99' }] },
        '/data/attributes/prices/0/unitPrice',
      ],
      [{ kind: 'product', name: 'X', taxRateId: 999999 }, '/data/attributes/taxRateId'],
    ]
    for (const [attributes, pointer] of cases) {
      const response = await post(client, tenant, '/items', attributes)
      assert.equal(response.status(), 422, `${JSON.stringify(attributes)} → ${response.text()}`)
      assert.equal(response.body().errors[0].source?.pointer, pointer, JSON.stringify(attributes))
    }
    assert.lengthOf(await db.from('invoicing_items').where('tenant_id', tenant.tenantId), 0)
    assert.lengthOf(await db.from('invoicing_item_prices').where('tenant_id', tenant.tenantId), 0)
    assert.lengthOf(await ledgerEntries(tenant.tenantId), 0)
  })

  test("another tenant's items and tax rates cannot be used or seen", async ({
    client,
    assert,
  }) => {
    const a = await invTenant(client)
    const b = await invTenant(client)
    const rate = (await post(client, a, '/tax-rates', { name: 'A VAT', rate: '5' })).body().data
    const item = (
      await post(client, a, '/items', {
        kind: 'product',
        name: 'A widget',
        prices: [{ currency: 'EUR', unitPrice: '100' }],
      })
    ).body().data
    ;(await get(client, b, `/items/${item.id}`)).assertStatus(404)
    ;(await get(client, b, `/tax-rates/${rate.id}`)).assertStatus(404)
    assert.lengthOf((await get(client, b, '/items')).body().data, 0)
    const useItem = await post(client, b, '/invoices', {
      clientId: b.clientId,
      currency: 'EUR',
      lines: [{ itemId: Number(item.id), quantity: 1 }],
    })
    useItem.assertStatus(422)
    const useRate = await post(client, b, '/invoices', {
      clientId: b.clientId,
      currency: 'EUR',
      lines: [{ description: 'x', quantity: 1, unitPrice: '1', taxRateId: Number(rate.id) }],
    })
    useRate.assertStatus(422)
    const useClient = await post(client, b, '/invoices', {
      clientId: a.clientId,
      currency: 'EUR',
      lines: [{ description: 'x', quantity: 1, unitPrice: '1' }],
    })
    useClient.assertStatus(422)
    assert.lengthOf(await db.from('invoicing_invoices').where('tenant_id', b.tenantId), 0)
  })
})
