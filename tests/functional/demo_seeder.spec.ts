import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Tenant from '#models/tenant'
import { DEMO, DEMO_PLUGINS, seedDemo } from '#database/seeders/demo_seeder'
import { login } from '#tests/helpers'

/* rows of the demo tenant in the plugins' tables and its plugin audit trail */
async function counts(tenantId: number) {
  const count = async (table: string, where: Record<string, unknown> = {}) => {
    const row = await db
      .from(table)
      .where({ tenant_id: tenantId, ...where })
      .count('* as total')
      .first()
    return Number(row.total)
  }
  return {
    clients: await count('crm_clients'),
    notes: await count('crm_notes'),
    items: await count('invoicing_items'),
    quotes: await count('invoicing_quotes'),
    invoices: await count('invoicing_invoices'),
    payments: await count('invoicing_payments'),
    locations: await count('salon_locations'),
    services: await count('salon_services'),
    appointments: await count('salon_appointments'),
    pluginsEnabledAudits: await count('audit_logs', { action: 'plugin.enabled' }),
  }
}

const api = (client: ApiClient, token: string, url: string) =>
  client.get(`/api/v1${url}`).bearerToken(token)

test.group('Demo seeder (npm start)', () => {
  test('enables the plugins for the demo tenant and fills them once, visible through the API', async ({
    client,
    assert,
  }) => {
    await seedDemo()
    const tenant = await Tenant.findByOrFail('slug', 'demo')
    const first = await counts(tenant.id)
    await seedDemo()
    assert.deepEqual(await counts(tenant.id), first, 'a second run adds nothing')

    assert.isAtLeast(first.clients, 25)
    assert.isAtLeast(first.notes, 1)
    assert.isAtLeast(first.items, 3)
    assert.isAtLeast(first.quotes, 1)
    assert.isAtLeast(first.invoices, 6)
    assert.isAtLeast(first.payments, 2)
    assert.equal(first.locations, 1)
    assert.equal(first.services, 3)
    assert.isAtLeast(first.appointments, 10)
    assert.equal(first.pluginsEnabledAudits, DEMO_PLUGINS.length)

    const token = await login(client, DEMO.owner.email, 'demo', DEMO.password)
    const plugins = await api(client, token, '/plugins')
    plugins.assertStatus(200)
    const enabled = plugins
      .body()
      .data.filter((row: any) => row.attributes.enabled)
      .map((row: any) => row.id)
    assert.includeMembers(enabled, DEMO_PLUGINS)

    const clients = await api(client, token, '/crm/clients?limit=5')
    clients.assertStatus(200)
    assert.isAtLeast(clients.body().meta.total, 25)

    const invoices = await api(client, token, '/invoicing/invoices?limit=50')
    invoices.assertStatus(200)
    const statuses = new Set(invoices.body().data.map((row: any) => row.attributes.status))
    for (const status of ['draft', 'sent', 'partially_paid', 'paid'])
      assert.isTrue(statuses.has(status), status)

    const aging = await api(client, token, '/invoicing/reports/ar-aging?currency=EUR')
    aging.assertStatus(200)
    const totals = aging.body().meta.totals.EUR
    for (const bucket of ['current', '1-30', '31-60'])
      assert.notEqual(totals[bucket], '0', `AR aging bucket ${bucket}`)

    const services = await api(client, token, '/salon/services')
    services.assertStatus(200)
    const serviceId = services.body().data[0].id
    const from = DateTime.now().setZone('Europe/London').plus({ days: 1 }).toISODate()
    const to = DateTime.now().setZone('Europe/London').plus({ days: 7 }).toISODate()
    const slots = await api(
      client,
      token,
      `/salon/availability?serviceId=${serviceId}&from=${from}&to=${to}`
    )
    slots.assertStatus(200)
    assert.isNotEmpty(slots.body().data)
  }).timeout(180_000)

  test('a later run completes the demo appointments that have ended', async ({ assert }) => {
    await seedDemo()
    const tenant = await Tenant.findByOrFail('slug', 'demo')
    const appointment = await db
      .from('salon_appointments')
      .where({ tenant_id: tenant.id, status: 'booked' })
      .orderBy('id')
      .firstOrFail()
    // as if the demo was set up a week ago: the appointment was yesterday
    const duration = Number(appointment.ends_ms) - Number(appointment.starts_ms)
    const startsMs = Date.now() - 24 * 3600_000
    await db
      .from('salon_appointments')
      .where('id', appointment.id)
      .update({ starts_ms: startsMs, ends_ms: startsMs + duration })

    await seedDemo()
    const after = await db.from('salon_appointments').where('id', appointment.id).firstOrFail()
    assert.equal(after.status, 'completed')
    const stillBooked = await db
      .from('salon_appointments')
      .where({ tenant_id: tenant.id, status: 'booked' })
      .count('* as total')
      .first()
    assert.isAbove(Number(stillBooked.total), 0, 'the coming ones stay booked')
  }).timeout(180_000)
})
