import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { tenantContext } from '#plinth'
import invoicing from '../plugin.js'
import { invoicingPlugin } from '../services/invoicing_plugin.js'
import {
  createCrmClient,
  daysFromToday,
  get,
  invTenant,
  issuedInvoice,
  post,
  type InvTenant,
} from './helpers.js'

const line = (price: string) => [{ description: 'Work', quantity: 1, unitPrice: price }]

/* the reminder job, run as the scheduler runs it: in the tenant's context */
async function runReminderJob(tenant: InvTenant, payload: Record<string, unknown> = {}) {
  const job = invoicing.jobs!.find((entry) => entry.name === 'invoicing.remind-overdue')!
  await tenantContext.run(tenant.tenantId, () =>
    job.handle(payload, {
      tenantId: tenant.tenantId,
      attempt: 1,
      jobId: randomUUID(),
      plugin: invoicingPlugin.context,
    })
  )
}

const overdueEvents = (tenant: InvTenant) =>
  db
    .from('event_outbox')
    .where({ tenant_id: tenant.tenantId, name: 'invoicing.invoice.overdue' })
    .orderBy('id')

test.group('Invoicing AR aging', () => {
  test('open balances per client and currency by days past due', async ({ client, assert }) => {
    const tenant = await invTenant(client)
    const issue = (price: string, issueDate: string, extra: Record<string, unknown> = {}) =>
      issuedInvoice(client, tenant, line(price), { termsDays: 0, ...extra }, { issueDate })
    await issue('100', '2026-06-30') // due today: current
    await issue('200', '2026-06-20') // 10 days: 1-30
    await issue('400', '2026-05-20') // 41 days: 31-60
    await issue('800', '2026-04-15') // 76 days: 61-90
    const old = await issue('1600', '2026-01-01') // 180 days: 90+
    await post(client, tenant, `/invoices/${old.id}/payments`, { amount: '600' })
    const paid = await issue('5000', '2026-01-01')
    await post(client, tenant, `/invoices/${paid.id}/payments`, { amount: '5000' })
    await issue('3000', '2026-06-01', { currency: 'USD' }) // 29 days: 1-30
    const otherClient = await createCrmClient(client, tenant, 'Other client')
    await issue('7', '2026-06-29', { clientId: otherClient }) // 1 day: 1-30
    await issue('9', '2026-07-15') // issued after asOf: not yet owed

    const report = await get(client, tenant, '/reports/ar-aging?asOf=2026-06-30')
    report.assertStatus(200)
    const rows = report.body().data.map((row: any) => row.attributes)
    const eur = rows.find((row: any) => row.clientId === tenant.clientId && row.currency === 'EUR')
    assert.deepInclude(eur, {
      current: '100',
      days1to30: '200',
      days31to60: '400',
      days61to90: '800',
      over90: '1000',
      total: '2500',
      invoices: 5,
    })
    const usd = rows.find((row: any) => row.currency === 'USD')
    assert.deepInclude(usd, { clientId: tenant.clientId, days1to30: '3000', total: '3000' })
    const other = rows.find((row: any) => row.clientId === otherClient)
    assert.deepInclude(other, { currency: 'EUR', days1to30: '7', total: '7' })
    assert.lengthOf(rows, 3)
    assert.equal(report.body().meta.totals.EUR.total, '2507')
    assert.equal(report.body().meta.totals.USD.total, '3000')

    const onlyUsd = await get(client, tenant, '/reports/ar-aging?asOf=2026-06-30&currency=USD')
    assert.lengthOf(onlyUsd.body().data, 1)
    const bad = await get(client, tenant, '/reports/ar-aging?asOf=2026-13-01')
    bad.assertStatus(400)

    const otherTenant = await invTenant(client)
    const theirs = await get(client, otherTenant, '/reports/ar-aging?asOf=2026-06-30')
    assert.lengthOf(theirs.body().data, 0)
  })
})

test.group('Invoicing overdue reminders', () => {
  test('the job emits invoicing.invoice.overdue once per overdue invoice per day', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const overdue = await issuedInvoice(
      client,
      tenant,
      line('1000'),
      { termsDays: 0 },
      {
        issueDate: daysFromToday(-10),
      }
    )
    await issuedInvoice(client, tenant, line('2000'), { termsDays: 30 }) // not due yet
    const paid = await issuedInvoice(
      client,
      tenant,
      line('3000'),
      { termsDays: 0 },
      {
        issueDate: daysFromToday(-20),
      }
    )
    await post(client, tenant, `/invoices/${paid.id}/payments`, { amount: '3000' })

    await runReminderJob(tenant)
    await runReminderJob(tenant)
    let events = await overdueEvents(tenant)
    assert.lengthOf(events, 1, 'a second run the same day emits nothing')
    const payload =
      typeof events[0].payload === 'string' ? JSON.parse(events[0].payload) : events[0].payload
    assert.equal(payload.invoiceId, Number(overdue.id))
    assert.equal(payload.daysOverdue, 10)
    assert.equal(payload.balance, '1000')

    await runReminderJob(tenant, { asOf: daysFromToday(1) })
    events = await overdueEvents(tenant)
    assert.lengthOf(events, 2, 'the next day it reminds again')

    const other = await invTenant(client)
    await runReminderJob(other)
    assert.lengthOf(await overdueEvents(other), 0)
  })

  test('the job is scheduled through the manifest', ({ assert }) => {
    assert.deepInclude(invoicing.schedules!, {
      key: 'invoicing.overdue-reminders',
      cron: '0 * * * *',
      job: 'invoicing.remind-overdue',
    })
  })
})
