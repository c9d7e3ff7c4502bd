/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import User from '#models/user'
import {
  created,
  daysFromToday,
  invTenant,
  issuedInvoice,
  post,
} from '../../plugins/invoicing/tests/helpers.js'

test.group('Invoicing pages in Chromium', () => {
  test('record a payment on an invoice, approve and convert a quote, write a new invoice, every page renders', async ({
    client,
    visit,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const owner = await User.findOrFail(tenant.ownerId)
    const clientResponse = await client
      .get(`/api/v1/crm/clients/${tenant.clientId}`)
      .bearerToken(tenant.token)
    const clientName = clientResponse.body().data.attributes.name as string
    const invoice = await issuedInvoice(client, tenant)
    const quote = await created(
      await post(client, tenant, '/quotes', {
        clientId: tenant.clientId,
        currency: 'EUR',
        expiresOn: daysFromToday(10),
        lines: [{ description: 'Roof repair', quantity: 1, unitPrice: '45000' }],
      }),
      'quote'
    )
    ;(await post(client, tenant, `/quotes/${quote.id}/send`, {})).assertStatus(200)

    const page = await visit('/login')
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    await page.getByLabel('Email').fill(owner.email)
    await page.getByLabel('Password').fill('invoicing tests password 1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/app')

    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Invoices' }).click()
    await page.waitForURL('**/app/invoicing')
    await page.assertTextContains('h1', 'Invoices')
    await page.getByRole('link', { name: invoice.attributes.number }).click()
    await page.waitForURL(`**/app/invoicing/invoices/${invoice.id}`)
    await page.assertTextContains('h1', invoice.attributes.number)
    await page.assertTextContains('[data-testid="invoice-balance"]', '100.00 EUR')

    await page.getByLabel('Amount (EUR)').fill('12.50')
    await page.getByRole('button', { name: 'Record payment' }).click()
    await page.assertTextContains('[role="status"]', 'Payment recorded')
    await page.assertTextContains('[data-testid="invoice-balance"]', '87.50 EUR')
    await page.getByLabel('Amount (EUR)').fill('1000')
    await page.getByRole('button', { name: 'Record payment' }).click()
    await page.assertTextContains('#pay-amount-error', 'more than what is owed')
    await page.assertTextContains('[data-testid="invoice-balance"]', '87.50 EUR')
    await mkdir(app.tmpPath('screenshots'), { recursive: true })
    await page.screenshot({
      path: app.tmpPath('screenshots/invoicing_invoice.png'),
      fullPage: true,
    })

    await nav.getByRole('link', { name: 'Quotes' }).click()
    await page.waitForURL('**/app/invoicing/quotes')
    await page.getByRole('link', { name: `Quote ${quote.id}` }).click()
    await page.waitForURL(`**/app/invoicing/quotes/${quote.id}`)
    await page.getByLabel("Client's name, typed as signature").fill('Jane Client')
    await page.getByRole('button', { name: 'Approve' }).click()
    await page.assertTextContains('[role="status"]', 'approved by Jane Client')
    await page.getByRole('button', { name: 'Convert' }).click()
    await page.waitForURL(/\/app\/invoicing\/invoices\/\d+$/)
    await page.assertTextContains('h1', 'Draft invoice')
    await page.assertTextContains('[data-testid="invoice-lines"]', 'Roof repair')

    // a new invoice written on its page: the client found by search, an item's line
    await nav.getByRole('link', { name: 'Invoices' }).click()
    await page.waitForURL('**/app/invoicing')
    await page.getByRole('link', { name: 'New invoice' }).click()
    await page.waitForURL('**/app/invoicing/invoices/new')
    await page.getByLabel('Find a client').fill('Acme')
    await page.waitForURL('**/invoices/new?search=Acme')
    await page.getByLabel('Client', { exact: true }).selectOption({ label: clientName })
    await page.getByLabel('Description of line 1').fill('Gutter cleaning')
    await page.getByLabel('Quantity of line 1').fill('3')
    await page.getByLabel('Unit price of line 1').fill('40')
    await page.getByRole('button', { name: 'Save draft invoice' }).click()
    await page.waitForURL(/\/app\/invoicing\/invoices\/\d+$/)
    await page.assertTextContains('[role="status"]', 'Draft invoice saved.')
    await page.assertTextContains('[data-testid="invoice-lines"]', 'Gutter cleaning')
    await page.assertTextContains('[data-testid="invoice-lines"]', '120.00 EUR')

    for (const [label, path, heading] of [
      ['Payments', '/app/invoicing/payments', 'Payments'],
      ['Catalog', '/app/invoicing/catalog', 'Catalog'],
      ['AR aging', '/app/invoicing/reports/ar-aging', 'Accounts receivable aging'],
    ]) {
      await nav.getByRole('link', { name: label, exact: true }).click()
      await page.waitForURL(`**${path}`)
      await page.assertTextContains('h1', heading)
    }
    await page.assertTextContains('[data-testid="aging-EUR"]', '87.50')

    assert.deepEqual(problems, [])
  })
})
