import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { localAt, post, putSettings, readySalon } from './helpers.js'

const ZONE = 'Europe/London'

test.group('Salon with invoicing', () => {
  test('deposits and late-cancel fees are invoiced (issued) in the same transaction when invoicing is on', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client, {
      settings: { cancellationPolicyHours: 24 * 30, lateCancelFeePercent: 50 },
    })
    const enable = await client
      .post('/api/v1/plugins/invoicing/enable')
      .bearerToken(tenant.token)
      .header('Idempotency-Key', randomUUID())
      .json({ data: { attributes: { withDependencies: true } } })
    enable.assertStatus(200)
    await putSettings(client, tenant, {
      minimumNoticeMinutes: 0,
      bookingHorizonDays: 400,
      cancellationPolicyHours: 24 * 30,
      lateCancelFeePercent: 50,
    })

    const booked = await post(client, tenant, '/appointments', {
      client: { name: 'Pays a deposit' },
      serviceId,
      startsAt: localAt(ZONE, 3, '10:00'),
    })
    booked.assertStatus(201)
    const appointment = booked.body().data
    assert.isString(appointment.attributes.invoiceRef)
    const invoices = () =>
      db
        .from('invoicing_invoices')
        .where('tenant_id', tenant.tenantId)
        .where('source_reference', 'like', `salon:appointment:${appointment.id}:%`)
        .orderBy('id')
    const [deposit] = await invoices()
    assert.equal(deposit.source_reference, `salon:appointment:${appointment.id}:deposit`)
    assert.equal(String(deposit.total), '1000')
    assert.equal(deposit.currency, 'EUR')
    // issued: numbered and posted, no longer a draft
    assert.notEqual(deposit.status, 'draft')
    assert.isString(deposit.display_number)
    assert.equal(Number(deposit.client_id), appointment.attributes.clientId)

    const cancelled = await post(client, tenant, `/appointments/${appointment.id}/cancel`, {})
    cancelled.assertStatus(200)
    const all = await invoices()
    assert.lengthOf(all, 2)
    assert.equal(all[1].source_reference, `salon:appointment:${appointment.id}:late_cancel`)
    assert.equal(String(all[1].total), '2000')
    assert.equal(cancelled.body().data.attributes.invoiceRef, all[1].display_number)
  })

  test('without invoicing, amounts are only recorded on the appointment', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const booked = await post(client, tenant, '/appointments', {
      client: { name: 'No invoices' },
      serviceId,
      startsAt: localAt(ZONE, 3, '10:00'),
    })
    booked.assertStatus(201)
    assert.equal(booked.body().data.attributes.deposit, '1000')
    assert.isNull(booked.body().data.attributes.invoiceRef)
    const rows = await db.from('invoicing_invoices').where('tenant_id', tenant.tenantId)
    assert.lengthOf(rows, 0)
  })
})
