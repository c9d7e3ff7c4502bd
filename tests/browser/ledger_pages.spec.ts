/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { signup, unique, PASSWORD } from '#tests/helpers'

test.group('Ledger pages in Chromium', () => {
  test('P&L chart, reversing an entry from its page, adding an account', async ({
    client,
    visit,
    assert,
  }) => {
    const owner = await signup(client, { fullName: 'Bea Books' })
    const entry = async (date: string, debit: string, credit: string, amount: string) => {
      const response = await client
        .post('/api/v1/ledger/entries')
        .bearerToken(owner.token)
        .json({
          data: {
            attributes: {
              date,
              currency: 'EUR',
              memo: `${debit} from ${credit}`,
              idempotencyKey: `k-${unique()}`,
              lines: [
                { account: debit, side: 'debit', amount },
                { account: credit, side: 'credit', amount },
              ],
            },
          },
        })
      response.assertStatus(201)
      return Number(response.body().data.id)
    }
    await entry('2026-01-20', '1100', '4000', '30000')
    await entry('2026-02-03', '6100', '1020', '12000')
    const sale = await entry('2026-02-10', '1100', '4100', '5000')

    const page = await visit('/login')
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    await page.getByLabel('Email').fill(owner.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/app')

    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Profit and loss' }).click()
    await page.waitForURL('**/app/ledger/reports/profit-and-loss')
    await page.getByLabel('From').fill('2026-01-01')
    await page.getByLabel('To', { exact: true }).fill('2026-02-28')
    await page.getByRole('button', { name: 'Show' }).click()
    await page.waitForURL('**/profit-and-loss?from=2026-01-01&to=2026-02-28')
    const chart = page.getByTestId('profit-chart')
    await page.assertVisible(chart)
    // revenue and expense bars for January and February
    assert.equal(await chart.locator('rect').count(), 4)
    assert.equal(await chart.locator('circle').count(), 2)
    await page.assertTextContains('[data-testid="net-income"]', '230.00')
    const csv = await page.getByTestId('csv-link').getAttribute('href')
    assert.equal(
      csv,
      '/app/ledger/reports/profit-and-loss?from=2026-01-01&to=2026-02-28&format=csv'
    )
    await mkdir(app.tmpPath('screenshots'), { recursive: true })
    await page.screenshot({ path: app.tmpPath('screenshots/ledger_pnl.png'), fullPage: true })

    await nav.getByRole('link', { name: 'Journal' }).click()
    await page.waitForURL('**/app/ledger/entries')
    // the filters travel as the API's filter[...] parameters
    await page.getByLabel('Account').selectOption({ label: '4100 Service revenue' })
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/filter%5Baccount%5D=\d+|filter\[account\]=\d+/)
    assert.equal(await page.getByTestId('journal').locator('tbody tr').count(), 1)
    await page.getByRole('link', { name: `#${sale}`, exact: true }).click()
    await page.waitForURL(`**/app/ledger/entries/${sale}`)
    await page.assertTextContains('[data-testid="entry-lines"]', 'Service revenue')
    await page.getByLabel('Date').fill('2026-02-15')
    await page.getByRole('button', { name: 'Reverse' }).click()
    await page.assertTextContains('[role="status"]', `Entry ${sale} is reversed by entry`)
    await page.assertTextContains('main', `Entry #${sale}`)
    await page.screenshot({ path: app.tmpPath('screenshots/ledger_reversal.png'), fullPage: true })

    await nav.getByRole('link', { name: 'Accounts' }).click()
    await page.waitForURL('**/app/ledger/accounts')
    await page.getByLabel('Code').fill('1030')
    await page.getByLabel('Name', { exact: true }).fill('Savings')
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.assertTextContains('[role="status"]', 'Account 1030 Savings added.')
    await page.assertTextContains('[data-testid="accounts"]', 'Savings')
    await page.screenshot({ path: app.tmpPath('screenshots/ledger_accounts.png'), fullPage: true })

    assert.deepEqual(problems, [])
  })
})
