import { test } from '@japa/runner'
import { staffUser } from '#plinth/testing'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { signup, unique } from '#tests/helpers'
import {
  createCrmClient,
  created,
  daysFromToday,
  draftInvoice,
  get,
  invTenant,
  issuedInvoice,
  ledgerEntries,
  post,
  type InvTenant,
} from './helpers.js'

/*
 * The invoicing staff pages (Inertia): props as each page gets them, the
 * forms (CSRF-checked posts calling the API's services), permissions per
 * role, and tenant isolation.
 */
type Who = { user: Awaited<ReturnType<typeof staffUser>>; tenantId: number }

const ownerOf = async (tenant: InvTenant): Promise<Who> => ({
  user: await staffUser(tenant.ownerId),
  tenantId: tenant.tenantId,
})

/* a member with a built-in role (dispatcher: invoicing.read only; worker: no invoicing) */
async function member(client: ApiClient, tenant: InvTenant, role: string): Promise<Who> {
  const email = `${role}-${unique()}@example.test`
  const response = await client
    .post('/api/v1/members')
    .bearerToken(tenant.token)
    .json({ data: { attributes: { email, fullName: `A ${role}`, role } } })
  response.assertStatus(201)
  return { user: await staffUser(email), tenantId: tenant.tenantId }
}

function visit(client: ApiClient, path: string, who: Who) {
  return client.get(path).withInertia().loginAs(who.user).withSession({ tenantId: who.tenantId })
}

function submit(client: ApiClient, path: string, who: Who, body: Record<string, unknown> = {}) {
  return client
    .post(path)
    .withCsrfToken()
    .loginAs(who.user)
    .withSession({ tenantId: who.tenantId })
    .json(body)
    .redirects(0)
}

const flashedErrors = (response: { flashMessages(): Record<string, any> }) =>
  (response.flashMessages().errorsBag ?? {}) as Record<string, string>

async function apiInvoice(client: ApiClient, tenant: InvTenant, id: number | string) {
  const response = await get(client, tenant, `/invoices/${id}`)
  response.assertStatus(200)
  return response.body().data.attributes as Record<string, any>
}

test.group('Invoicing pages', () => {
  test('invoices: rows with client names and balances, status and client filters, nav', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const owner = await ownerOf(tenant)
    const otherClientId = await createCrmClient(client, tenant, 'Globex')
    const issued = await issuedInvoice(client, tenant)
    const draft = await draftInvoice(
      client,
      { ...tenant, clientId: otherClientId },
      [{ description: 'Setup', quantity: 1, unitPrice: '2500' }],
      { currency: 'JPY' }
    )

    const page = await visit(client, '/app/invoicing', owner)
    page.assertStatus(200)
    page.assertInertiaComponent('plugins/invoicing/invoices')
    const rows = page.inertiaProps.invoices as any[]
    assert.deepEqual(
      rows.map((row) => row.id),
      [Number(draft.id), Number(issued.id)]
    )
    assert.deepInclude(rows[1], {
      number: issued.attributes.number,
      status: 'sent',
      clientId: tenant.clientId,
      currency: 'EUR',
      total: '10000',
      balance: '10000',
    })
    assert.match(rows[1].clientName, /^Acme /)
    assert.deepInclude(rows[0], {
      number: null,
      status: 'draft',
      clientName: 'Globex',
      currency: 'JPY',
      balance: '0',
    })
    assert.sameMembers(
      page.inertiaProps.clients.map((row: any) => row.id),
      [tenant.clientId, otherClientId]
    )
    assert.deepEqual(page.inertiaProps.can, { write: true, payments: true })
    assert.equal(page.inertiaProps.pagination.total, 2)

    const drafts = await visit(client, '/app/invoicing?status=draft', owner)
    assert.deepEqual(
      drafts.inertiaProps.invoices.map((row: any) => row.id),
      [Number(draft.id)]
    )
    const open = await visit(client, '/app/invoicing?status=open', owner)
    assert.deepEqual(
      open.inertiaProps.invoices.map((row: any) => row.id),
      [Number(issued.id)]
    )
    const globex = await visit(client, `/app/invoicing?clientId=${otherClientId}`, owner)
    assert.deepEqual(
      globex.inertiaProps.invoices.map((row: any) => row.id),
      [Number(draft.id)]
    )
    assert.equal(globex.inertiaProps.filters.clientId, otherClientId)
    // an unknown status is no filter at all
    const unknown = await visit(client, '/app/invoicing?status=lost', owner)
    assert.lengthOf(unknown.inertiaProps.invoices, 2)

    const nav = page.inertiaProps.shell.nav.map((item: { href: string }) => item.href)
    assert.includeMembers(nav, [
      '/app/invoicing',
      '/app/invoicing/quotes',
      '/app/invoicing/payments',
      '/app/invoicing/catalog',
      '/app/invoicing/reports/ar-aging',
    ])

    // another tenant sees none of these
    const other = await invTenant(client)
    const theirs = await visit(client, '/app/invoicing', await ownerOf(other))
    assert.lengthOf(theirs.inertiaProps.invoices, 0)
    assert.lengthOf(theirs.inertiaProps.clients, 0)
  })

  test('invoice page: lines, totals, payments with refunds, credit notes, the PDF under the session; another tenant gets 404', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const owner = await ownerOf(tenant)
    const invoice = await issuedInvoice(client, tenant)
    const payment = await created(
      await post(client, tenant, `/invoices/${invoice.id}/payments`, { amount: '3000' }),
      'payment'
    )
    await created(
      await post(client, tenant, `/payments/${payment.id}/refunds`, { amount: '1000' }),
      'refund'
    )
    await created(
      await post(client, tenant, `/invoices/${invoice.id}/credit-notes`, {
        reason: 'Discount agreed',
        lines: [{ description: 'Discount', quantity: 1, unitPrice: '2000' }],
      }),
      'credit note'
    )

    const page = await visit(client, `/app/invoicing/invoices/${invoice.id}`, owner)
    page.assertStatus(200)
    page.assertInertiaComponent('plugins/invoicing/invoice')
    const props = page.inertiaProps
    const api = await apiInvoice(client, tenant, invoice.id)
    assert.equal(props.invoice.number, api.number)
    assert.equal(props.invoice.total, '10000')
    assert.equal(props.invoice.balance, api.balance)
    assert.equal(props.invoice.balance, '6000')
    assert.deepInclude(props.invoice.lines[0], {
      description: 'Consulting',
      quantity: '2',
      unitPrice: '5000',
      total: '10000',
    })
    assert.match(props.client.name, /^Acme /)
    assert.lengthOf(props.payments, 1)
    assert.deepInclude(props.payments[0], {
      id: Number(payment.id),
      amount: '3000',
      amountRefunded: '1000',
      appliedHere: '3000',
    })
    assert.deepEqual(
      props.payments[0].refunds.map((refund: any) => refund.amount),
      ['1000']
    )
    assert.lengthOf(props.creditNotes, 1)
    assert.deepInclude(props.creditNotes[0], { total: '2000', reason: 'Discount agreed' })
    const notePdf = await client
      .get(props.creditNotes[0].pdfUrl)
      .loginAs(owner.user)
      .withSession({ tenantId: owner.tenantId })
    notePdf.assertStatus(200)
    assert.equal(notePdf.header('content-type'), 'application/pdf')
    assert.include(notePdf.header('content-disposition'), `${props.creditNotes[0].number}.pdf`)
    // an invoice's id is no credit note, and the other way round
    ;(
      await client
        .get(`/app/invoicing/credit-notes/${invoice.id}/pdf`)
        .loginAs(owner.user)
        .withSession({ tenantId: owner.tenantId })
    ).assertStatus(404)
    assert.equal(props.pdfUrl, `/app/invoicing/invoices/${invoice.id}/pdf`)

    const pdf = await client
      .get(props.pdfUrl)
      .loginAs(owner.user)
      .withSession({ tenantId: owner.tenantId })
    pdf.assertStatus(200)
    assert.equal(pdf.header('content-type'), 'application/pdf')
    assert.include(pdf.header('content-disposition'), `${api.number}.pdf`)

    const stranger = await ownerOf(await invTenant(client))
    ;(await visit(client, `/app/invoicing/invoices/${invoice.id}`, stranger)).assertStatus(404)
    ;(
      await client
        .get(props.pdfUrl)
        .loginAs(stranger.user)
        .withSession({ tenantId: stranger.tenantId })
    ).assertStatus(404)
    ;(await visit(client, '/app/invoicing/invoices/999999999', owner)).assertStatus(404)
  })

  test('invoice forms: send a draft, record a payment typed in major units, refusals write nothing, void; permissions per role', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const owner = await ownerOf(tenant)
    const draft = await draftInvoice(client, tenant)

    // a post without the CSRF token (another site's form) changes nothing
    const forged = await client
      .post(`/app/invoicing/invoices/${draft.id}/send`)
      .loginAs(owner.user)
      .withSession({ tenantId: owner.tenantId })
      .json({})
      .redirects(0)
    assert.notEqual(forged.status(), 200)
    assert.equal((await apiInvoice(client, tenant, draft.id)).status, 'draft')

    const sent = await submit(client, `/app/invoicing/invoices/${draft.id}/send`, owner)
    sent.assertStatus(302)
    let api = await apiInvoice(client, tenant, draft.id)
    assert.equal(api.status, 'sent')
    assert.isNotNull(api.number)
    assert.equal(sent.flashMessages().notice, `Invoice ${api.number} issued and sent.`)
    const again = await submit(client, `/app/invoicing/invoices/${draft.id}/send`, owner)
    assert.include(flashedErrors(again).form, 'already sent')

    const paid = await submit(client, `/app/invoicing/invoices/${draft.id}/payments`, owner, {
      amount: '12.34',
      method: 'card',
    })
    paid.assertStatus(302)
    api = await apiInvoice(client, tenant, draft.id)
    assert.equal(api.amountPaid, '1234')
    assert.equal(api.status, 'partially_paid')

    const entriesBefore = (await ledgerEntries(tenant.tenantId)).length
    const over = await submit(client, `/app/invoicing/invoices/${draft.id}/payments`, owner, {
      amount: '1000',
    })
    assert.equal(flashedErrors(over).amount, 'The payment is more than what is owed (87.66 EUR)')
    const tooPrecise = await submit(client, `/app/invoicing/invoices/${draft.id}/payments`, owner, {
      amount: '1.234',
    })
    assert.include(flashedErrors(tooPrecise).amount, 'at most 2 decimals')
    const negative = await submit(client, `/app/invoicing/invoices/${draft.id}/payments`, owner, {
      amount: '-5',
    })
    assert.property(flashedErrors(negative), 'amount')
    assert.equal((await apiInvoice(client, tenant, draft.id)).amountPaid, '1234')
    assert.lengthOf(await ledgerEntries(tenant.tenantId), entriesBefore)

    // a paid-in-part invoice cannot be voided; a fresh one can
    const refused = await submit(client, `/app/invoicing/invoices/${draft.id}/void`, owner)
    assert.property(flashedErrors(refused), 'form')
    assert.equal((await apiInvoice(client, tenant, draft.id)).status, 'partially_paid')
    const fresh = await issuedInvoice(client, tenant)
    const voided = await submit(client, `/app/invoicing/invoices/${fresh.id}/void`, owner, {
      reason: 'Wrong client',
    })
    voided.assertStatus(302)
    assert.equal((await apiInvoice(client, tenant, fresh.id)).status, 'void')

    // a dispatcher reads but may not act; a worker does not see invoicing
    const dispatcher = await member(client, tenant, 'dispatcher')
    const readOnly = await visit(client, `/app/invoicing/invoices/${draft.id}`, dispatcher)
    readOnly.assertStatus(200)
    assert.deepEqual(readOnly.inertiaProps.can, { write: false, payments: false })
    const other = await draftInvoice(client, tenant)
    ;(await submit(client, `/app/invoicing/invoices/${other.id}/send`, dispatcher)).assertStatus(
      403
    )
    ;(
      await submit(client, `/app/invoicing/invoices/${draft.id}/payments`, dispatcher, {
        amount: '1',
      })
    ).assertStatus(403)
    assert.equal((await apiInvoice(client, tenant, other.id)).status, 'draft')
    const worker = await member(client, tenant, 'worker')
    ;(await visit(client, '/app/invoicing', worker)).assertStatus(403)
    const nav = readOnly.inertiaProps.shell.nav.map((item: { href: string }) => item.href)
    assert.include(nav, '/app/invoicing')
    assert.notInclude(nav, '/app/invoicing/reports/ar-aging')

    // another tenant's invoice: 404, nothing posted
    const stranger = await ownerOf(await invTenant(client))
    ;(await submit(client, `/app/invoicing/invoices/${other.id}/send`, stranger)).assertStatus(404)
    assert.equal((await apiInvoice(client, tenant, other.id)).status, 'draft')
  })

  test('quotes: list and page; send, approve with the typed name, convert opens the invoice; an expired quote is not approved', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const owner = await ownerOf(tenant)
    const newQuote = async () =>
      created(
        await post(client, tenant, '/quotes', {
          clientId: tenant.clientId,
          currency: 'EUR',
          expiresOn: daysFromToday(10),
          lines: [{ description: 'Roof repair', quantity: 3, unitPrice: '15000' }],
          deposit: '5000',
        }),
        'quote'
      )
    const quote = await newQuote()

    const list = await visit(client, '/app/invoicing/quotes', owner)
    list.assertStatus(200)
    list.assertInertiaComponent('plugins/invoicing/quotes')
    assert.deepInclude(list.inertiaProps.quotes[0], {
      id: Number(quote.id),
      status: 'draft',
      total: '45000',
      expired: false,
    })
    assert.match(list.inertiaProps.quotes[0].clientName, /^Acme /)

    const path = `/app/invoicing/quotes/${quote.id}`
    ;(await submit(client, `${path}/send`, owner)).assertStatus(302)
    const unsigned = await submit(client, `${path}/approve`, owner, { signatureName: ' ' })
    unsigned.assertHasValidationError('signatureName')
    ;(
      await submit(client, `${path}/approve`, owner, { signatureName: 'Jane Client' })
    ).assertStatus(302)
    let page = await visit(client, path, owner)
    page.assertInertiaComponent('plugins/invoicing/quote')
    assert.deepInclude(page.inertiaProps.quote, {
      status: 'approved',
      signatureName: 'Jane Client',
      total: '45000',
      deposit: '5000',
    })
    assert.lengthOf(page.inertiaProps.quote.lines, 1)

    const converted = await submit(client, `${path}/convert`, owner, { issue: true })
    converted.assertStatus(302)
    page = await visit(client, path, owner)
    const invoiceId = page.inertiaProps.quote.invoiceId
    converted.assertHeader('location', `/app/invoicing/invoices/${invoiceId}`)
    assert.equal(page.inertiaProps.invoice.id, invoiceId)
    const invoice = await apiInvoice(client, tenant, invoiceId)
    assert.equal(invoice.status, 'sent')
    assert.equal(invoice.total, '45000')

    // expired while sent: the approval is refused and nothing changes
    const late = await newQuote()
    ;(await submit(client, `/app/invoicing/quotes/${late.id}/send`, owner)).assertStatus(302)
    await db
      .from('invoicing_quotes')
      .where('id', late.id)
      .update({ expires_on: daysFromToday(-1) })
    const expired = await submit(client, `/app/invoicing/quotes/${late.id}/approve`, owner, {
      signatureName: 'Jane Client',
    })
    assert.match(Object.values(flashedErrors(expired)).join(' '), /expire/i)
    const latePage = await visit(client, `/app/invoicing/quotes/${late.id}`, owner)
    assert.equal(latePage.inertiaProps.quote.status, 'sent')
    assert.isTrue(latePage.inertiaProps.expired)

    const stranger = await ownerOf(await invTenant(client))
    ;(await visit(client, path, stranger)).assertStatus(404)
    ;(
      await submit(client, `/app/invoicing/quotes/${late.id}/approve`, stranger, {
        signatureName: 'Mallory',
      })
    ).assertStatus(404)
  })

  test('payments page: a payment without an invoice is applied oldest first; refunds up to the payment', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const owner = await ownerOf(tenant)
    const older = await issuedInvoice(
      client,
      tenant,
      undefined,
      {},
      {
        issueDate: daysFromToday(-20),
      }
    )
    const newer = await issuedInvoice(client, tenant)

    let page = await visit(client, '/app/invoicing/payments', owner)
    page.assertInertiaComponent('plugins/invoicing/payments')
    assert.deepEqual(
      page.inertiaProps.payers.map((row: any) => [row.clientId, row.currency]),
      [[tenant.clientId, 'EUR']]
    )
    const recorded = await submit(client, '/app/invoicing/payments', owner, {
      clientId: tenant.clientId,
      currency: 'EUR',
      amount: '150.00',
      reference: 'Bank transfer 42',
    })
    recorded.assertStatus(302)
    page = await visit(client, '/app/invoicing/payments', owner)
    const [payment] = page.inertiaProps.payments
    assert.deepInclude(payment, { amount: '15000', reference: 'Bank transfer 42' })
    assert.match(payment.clientName, /^Acme /)
    assert.deepEqual(
      payment.allocations.map((row: any) => [row.invoiceId, row.amount]),
      [
        [Number(older.id), '10000'],
        [Number(newer.id), '5000'],
      ]
    )
    assert.equal(payment.allocations[0].number, older.attributes.number)

    const tooMuch = await submit(client, `/app/invoicing/payments/${payment.id}/refunds`, owner, {
      amount: '200',
    })
    assert.equal(
      flashedErrors(tooMuch).amount,
      'The refund is more than what is left of the payment (150.00 EUR)'
    )
    const refunded = await submit(client, `/app/invoicing/payments/${payment.id}/refunds`, owner, {
      amount: '50',
      reason: 'Overcharged',
    })
    refunded.assertStatus(302)
    page = await visit(client, '/app/invoicing/payments', owner)
    assert.equal(page.inertiaProps.payments[0].amountRefunded, '5000')
    assert.deepEqual(
      page.inertiaProps.payments[0].refunds.map((row: any) => [row.amount, row.reason]),
      [['5000', 'Overcharged']]
    )

    const unknownClient = await submit(client, '/app/invoicing/payments', owner, {
      clientId: 999999999,
      currency: 'EUR',
      amount: '1',
    })
    assert.property(flashedErrors(unknownClient), 'clientId')
    const stranger = await ownerOf(await invTenant(client))
    const theirs = await visit(client, '/app/invoicing/payments', stranger)
    assert.lengthOf(theirs.inertiaProps.payments, 0)
    ;(
      await submit(client, `/app/invoicing/payments/${payment.id}/refunds`, stranger, {
        amount: '1',
      })
    ).assertStatus(404)
  })

  test('catalog: items with prices per currency and tax rates; forms add and archive them; bad input refused', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const owner = await ownerOf(tenant)
    ;(
      await submit(client, '/app/invoicing/catalog/tax-rates', owner, {
        name: 'VAT',
        rate: '20',
        inclusive: false,
      })
    ).assertStatus(302)
    const badRate = await submit(client, '/app/invoicing/catalog/tax-rates', owner, {
      name: 'Too much',
      rate: '150',
    })
    badRate.assertHasValidationError('rate')
    let page = await visit(client, '/app/invoicing/catalog', owner)
    page.assertInertiaComponent('plugins/invoicing/catalog')
    assert.deepEqual(
      page.inertiaProps.taxRates.map((rate: any) => [rate.name, rate.rate, rate.inclusive]),
      [['VAT', '20', false]]
    )
    const vat = page.inertiaProps.taxRates[0]

    ;(
      await submit(client, '/app/invoicing/catalog/items', owner, {
        kind: 'service',
        name: 'Hour of work',
        currency: 'eur',
        unitPrice: '80.50',
        taxRateId: vat.id,
      })
    ).assertStatus(302)
    const yen = await submit(client, '/app/invoicing/catalog/items', owner, {
      kind: 'product',
      name: 'Tea',
      currency: 'JPY',
      unitPrice: '100.5',
    })
    assert.include(flashedErrors(yen).unitPrice, 'JPY has no decimals')
    page = await visit(client, '/app/invoicing/catalog', owner)
    assert.lengthOf(page.inertiaProps.items, 1)
    assert.deepInclude(page.inertiaProps.items[0], {
      name: 'Hour of work',
      kind: 'service',
      taxRateId: vat.id,
      archived: false,
    })
    assert.deepEqual(page.inertiaProps.items[0].prices, [{ currency: 'EUR', unitPrice: '8050' }])

    // thousands grouped as people write them; anything else is refused on the field
    ;(
      await submit(client, '/app/invoicing/catalog/items', owner, {
        kind: 'service',
        name: 'Big job',
        currency: 'EUR',
        unitPrice: '1,080.50',
      })
    ).assertStatus(302)
    const garbled = await submit(client, '/app/invoicing/catalog/items', owner, {
      kind: 'service',
      name: 'Garbled',
      currency: 'EUR',
      unitPrice: '1,2,3',
    })
    assert.property(flashedErrors(garbled), 'unitPrice')
    page = await visit(client, '/app/invoicing/catalog', owner)
    assert.deepEqual(
      page.inertiaProps.items.map((row: any) => [row.name, row.prices]),
      [
        ['Big job', [{ currency: 'EUR', unitPrice: '108050' }]],
        ['Hour of work', [{ currency: 'EUR', unitPrice: '8050' }]],
      ]
    )

    const item = page.inertiaProps.items[1]
    ;(
      await submit(client, `/app/invoicing/catalog/items/${item.id}/archive`, owner, {
        archived: true,
      })
    ).assertStatus(302)
    page = await visit(client, '/app/invoicing/catalog', owner)
    // archived items sort last
    assert.deepEqual(
      page.inertiaProps.items.map((row: any) => [row.name, row.archived]),
      [
        ['Big job', false],
        ['Hour of work', true],
      ]
    )

    const dispatcher = await member(client, tenant, 'dispatcher')
    const readOnly = await visit(client, '/app/invoicing/catalog', dispatcher)
    assert.isFalse(readOnly.inertiaProps.can.write)
    ;(
      await submit(client, '/app/invoicing/catalog/tax-rates', dispatcher, {
        name: 'Sneaky',
        rate: '5',
      })
    ).assertStatus(403)
    const stranger = await ownerOf(await invTenant(client))
    const theirs = await visit(client, '/app/invoicing/catalog', stranger)
    assert.lengthOf(theirs.inertiaProps.items, 0)
    assert.lengthOf(theirs.inertiaProps.taxRates, 0)
  })

  test('AR aging page: per client and currency in buckets, filters, needs invoicing.reports', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const owner = await ownerOf(tenant)
    // 45 days past due -> 31-60
    await issuedInvoice(
      client,
      tenant,
      undefined,
      { termsDays: 0 },
      {
        issueDate: daysFromToday(-45),
      }
    )
    await issuedInvoice(
      client,
      tenant,
      [{ description: 'Licence', quantity: 1, unitPrice: '700' }],
      { currency: 'USD' }
    )

    const page = await visit(client, '/app/invoicing/reports/ar-aging', owner)
    page.assertStatus(200)
    page.assertInertiaComponent('plugins/invoicing/aging')
    const props = page.inertiaProps
    assert.deepEqual(props.buckets, ['current', '1-30', '31-60', '61-90', '90+'])
    assert.deepEqual(
      props.currencies.map((group: any) => group.currency),
      ['EUR', 'USD']
    )
    const [eur, usd] = props.currencies
    assert.lengthOf(eur.rows, 1)
    assert.match(eur.rows[0].clientName, /^Acme /)
    assert.equal(eur.rows[0].buckets['31-60'], '10000')
    assert.equal(eur.rows[0].buckets.current, '0')
    assert.equal(eur.totals.total, '10000')
    assert.equal(usd.rows[0].buckets.current, '700')
    assert.isNull(props.problem)

    const usdOnly = await visit(client, '/app/invoicing/reports/ar-aging?currency=USD', owner)
    assert.deepEqual(
      usdOnly.inertiaProps.currencies.map((group: any) => group.currency),
      ['USD']
    )
    const earlier = await visit(
      client,
      `/app/invoicing/reports/ar-aging?asOf=${daysFromToday(-30)}`,
      owner
    )
    // as of 30 days ago the EUR invoice was 15 days overdue, the USD one not issued yet
    assert.deepEqual(
      earlier.inertiaProps.currencies.map((group: any) => group.currency),
      ['EUR']
    )
    assert.equal(earlier.inertiaProps.currencies[0].rows[0].buckets['1-30'], '10000')
    const bad = await visit(client, '/app/invoicing/reports/ar-aging?asOf=2026-02-30', owner)
    bad.assertStatus(200)
    assert.isString(bad.inertiaProps.problem)
    assert.lengthOf(bad.inertiaProps.currencies, 2)

    const dispatcher = await member(client, tenant, 'dispatcher')
    ;(await visit(client, '/app/invoicing/reports/ar-aging', dispatcher)).assertStatus(403)
    const stranger = await ownerOf(await invTenant(client))
    const theirs = await visit(client, '/app/invoicing/reports/ar-aging', stranger)
    assert.lengthOf(theirs.inertiaProps.currencies, 0)
  })

  test('new invoice and quote pages: clients found by search, catalog items, drafts written from the form; bad lines refused, nothing written', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const owner = await ownerOf(tenant)
    const tax = await created(
      await post(client, tenant, '/tax-rates', { name: 'VAT', rate: '20' }),
      'tax rate'
    )
    const item = await created(
      await post(client, tenant, '/items', {
        kind: 'service',
        name: 'Hour of work',
        taxRateId: Number(tax.id),
        prices: [{ currency: 'EUR', unitPrice: '8000' }],
      }),
      'item'
    )
    const globexId = await createCrmClient(client, tenant, 'Globex Corporation')

    const page = await visit(client, '/app/invoicing/invoices/new?search=globex', owner)
    page.assertStatus(200)
    page.assertInertiaComponent('plugins/invoicing/new_document')
    assert.equal(page.inertiaProps.kind, 'invoice')
    assert.deepEqual(page.inertiaProps.clients, [{ id: globexId, name: 'Globex Corporation' }])
    assert.deepInclude(page.inertiaProps.items[0], {
      id: Number(item.id),
      taxRateId: Number(tax.id),
      prices: [{ currency: 'EUR', unitPrice: '8000' }],
    })
    assert.equal(page.inertiaProps.defaults.termsDays, 30)
    const preselected = await visit(
      client,
      `/app/invoicing/invoices/new?clientId=${tenant.clientId}`,
      owner
    )
    assert.equal(preselected.inertiaProps.clientId, tenant.clientId)

    const saved = await submit(client, '/app/invoicing/invoices', owner, {
      clientId: globexId,
      currency: 'eur',
      termsDays: '14',
      notes: 'Thanks',
      lines: [
        { itemId: Number(item.id), quantity: '2', unitPrice: '', taxRateId: null },
        { description: 'Travel', quantity: '1', unitPrice: '25.50', taxRateId: null },
      ],
    })
    saved.assertStatus(302)
    const location = saved.header('location') as string
    assert.match(location, /^\/app\/invoicing\/invoices\/\d+$/)
    const draft = await apiInvoice(client, tenant, location.split('/').pop()!)
    assert.deepInclude(draft, {
      status: 'draft',
      clientId: globexId,
      currency: 'EUR',
      termsDays: 14,
      notes: 'Thanks',
      // 2 x 80.00 + 20% tax, and 25.50 without tax
      subtotal: '18550',
      taxTotal: '3200',
      total: '21750',
    })
    assert.deepEqual(
      draft.lines.map((line: any) => [line.description, line.unitPrice, line.tax]),
      [
        ['Hour of work', '8000', '3200'],
        ['Travel', '2550', '0'],
      ]
    )

    const before = await get(client, tenant, '/invoices')
    const badQuantity = await submit(client, '/app/invoicing/invoices', owner, {
      clientId: globexId,
      currency: 'EUR',
      lines: [{ description: 'Oops', quantity: '-1', unitPrice: '1' }],
    })
    // the field is named "lines.0.quantity" (flat key, as the page looks it up)
    assert.include(Object.keys(badQuantity.flashMessages().errors ?? {}), 'lines.0.quantity')
    const badPrice = await submit(client, '/app/invoicing/invoices', owner, {
      clientId: globexId,
      currency: 'JPY',
      lines: [{ description: 'Tea', quantity: '1', unitPrice: '1.5' }],
    })
    assert.include(flashedErrors(badPrice)['lines.0.unitPrice'], 'JPY has no decimals')
    const after = await get(client, tenant, '/invoices')
    assert.equal(after.body().meta.total, before.body().meta.total)

    const quotePage = await visit(client, '/app/invoicing/quotes/new', owner)
    assert.equal(quotePage.inertiaProps.kind, 'quote')
    // with no search: the clients billed lately
    assert.deepEqual(
      quotePage.inertiaProps.clients.map((row: any) => row.id),
      [globexId]
    )
    const quote = await submit(client, '/app/invoicing/quotes', owner, {
      clientId: globexId,
      currency: 'EUR',
      expiresOn: daysFromToday(20),
      deposit: '50',
      lines: [{ itemId: Number(item.id), quantity: '1', unitPrice: '' }],
    })
    quote.assertStatus(302)
    const quoteId = (quote.header('location') as string).split('/').pop()
    const shown = await get(client, tenant, `/quotes/${quoteId}`)
    assert.deepInclude(shown.body().data.attributes, {
      status: 'draft',
      total: '9600',
      deposit: '5000',
    })
    const expired = await submit(client, '/app/invoicing/quotes', owner, {
      clientId: globexId,
      currency: 'EUR',
      expiresOn: daysFromToday(-1),
      lines: [{ description: 'Late', quantity: '1', unitPrice: '10' }],
    })
    assert.include(flashedErrors(expired).expiresOn, 'future')

    const dispatcher = await member(client, tenant, 'dispatcher')
    ;(await visit(client, '/app/invoicing/invoices/new', dispatcher)).assertStatus(403)
    ;(
      await submit(client, '/app/invoicing/invoices', dispatcher, {
        currency: 'EUR',
        lines: [{ description: 'x', quantity: '1', unitPrice: '1' }],
      })
    ).assertStatus(403)
    // another tenant's client cannot be billed
    const stranger = await ownerOf(await invTenant(client))
    const foreign = await submit(client, '/app/invoicing/invoices', stranger, {
      clientId: globexId,
      currency: 'EUR',
      lines: [{ description: 'x', quantity: '1', unitPrice: '1' }],
    })
    assert.property(flashedErrors(foreign), 'clientId')
  })

  test('a tenant without invoicing gets the 404 page and its forms do nothing', async ({
    client,
    assert,
  }) => {
    const signedUp = await signup(client)
    const who = {
      user: await staffUser(Number(signedUp.ownerId)),
      tenantId: Number(signedUp.tenantId),
    }
    ;(await visit(client, '/app/invoicing', who)).assertStatus(404)
    ;(await visit(client, '/app/invoicing/catalog', who)).assertStatus(404)
    ;(
      await submit(client, '/app/invoicing/catalog/tax-rates', who, { name: 'VAT', rate: '20' })
    ).assertStatus(404)
    const rows = await db.from('invoicing_tax_rates').where('tenant_id', who.tenantId)
    assert.lengthOf(rows, 0)
  })
})
