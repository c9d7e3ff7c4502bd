import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { get, localAt, post, putSettings, readySalon } from './helpers.js'

const ZONE = 'Europe/London'

const events = (tenantId: number, name: string) =>
  db.from('event_outbox').where({ tenant_id: tenantId, name }).orderBy('id')

async function book(
  client: any,
  tenant: any,
  serviceId: number,
  startsAt: string,
  name = 'Client'
) {
  const response = await post(client, tenant, '/appointments', {
    client: { name },
    serviceId,
    startsAt,
  })
  if (response.status() !== 201) throw new Error(`book: ${response.status()} ${response.text()}`)
  return response.body().data as { id: string; attributes: Record<string, any> }
}

/* moves an appointment into the past (the API cannot book there) */
async function startedAnHourAgo(id: string) {
  const now = Date.now()
  await db
    .from('salon_appointments')
    .where('id', id)
    .update({ starts_ms: now - 3600_000, ends_ms: now - 900_000 })
}

test.group('Salon appointment changes', () => {
  test('reschedule moves the hold with the same guarantees; the old time is free again', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const a = await book(client, tenant, serviceId, localAt(ZONE, 3, '10:00'), 'A')
    const b = await book(client, tenant, serviceId, localAt(ZONE, 3, '14:00'), 'B')

    const onto = await post(client, tenant, `/appointments/${a.id}/reschedule`, {
      startsAt: localAt(ZONE, 3, '14:30'),
    })
    onto.assertStatus(409)
    assert.equal(onto.body().errors[0].code, 'SLOT_TAKEN')
    const outside = await post(client, tenant, `/appointments/${a.id}/reschedule`, {
      startsAt: localAt(ZONE, 3, '20:00'),
    })
    outside.assertStatus(422)

    const moved = await post(client, tenant, `/appointments/${a.id}/reschedule`, {
      startsAt: localAt(ZONE, 3, '10:30'), // overlaps its own old time: allowed
    })
    moved.assertStatus(200)
    assert.equal(moved.body().data.attributes.startsAt.slice(11, 16), '10:30')
    assert.equal(moved.body().data.attributes.services[0].startsAt.slice(11, 16), '10:30')
    const holds = await db.from('salon_booking_slots').where('appointment_id', a.id)
    assert.lengthOf(holds, 1)
    assert.equal(Number(holds[0].starts_ms), DateTime.fromISO(localAt(ZONE, 3, '10:30')).toMillis())
    const rescheduled = await events(tenant.tenantId, 'salon.appointment.rescheduled')
    assert.lengthOf(rescheduled, 1)
    // B can now take 09:30 (A left 10:00-10:30... and 09:30 + 55 min ends 10:25 < 10:30)
    const bMoved = await post(client, tenant, `/appointments/${b.id}/reschedule`, {
      startsAt: localAt(ZONE, 3, '09:30'),
    })
    bMoved.assertStatus(200)
  })

  test('cancel: free before the policy window, a late-cancel fee inside it; a cancelled appointment cannot change', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client, {
      settings: { cancellationPolicyHours: 0, lateCancelFeePercent: 50 },
    })
    const free = await book(client, tenant, serviceId, localAt(ZONE, 2, '10:00'), 'Free')
    const cancelled = await post(client, tenant, `/appointments/${free.id}/cancel`, {
      reason: 'Changed plans',
    })
    cancelled.assertStatus(200)
    assert.equal(cancelled.body().data.attributes.status, 'cancelled')
    assert.equal(cancelled.body().data.attributes.fee, '0')
    assert.isNull(cancelled.body().data.attributes.feeReason)
    assert.lengthOf(await db.from('salon_booking_slots').where('appointment_id', free.id), 0)

    // the freed time can be booked again
    await book(client, tenant, serviceId, localAt(ZONE, 2, '10:00'), 'Next')

    await putSettings(client, tenant, {
      minimumNoticeMinutes: 0,
      bookingHorizonDays: 400,
      cancellationPolicyHours: 24 * 30,
      lateCancelFeePercent: 50,
    })
    const late = await book(client, tenant, serviceId, localAt(ZONE, 2, '14:00'), 'Late')
    const lateCancel = await post(client, tenant, `/appointments/${late.id}/cancel`, {})
    lateCancel.assertStatus(200)
    assert.equal(lateCancel.body().data.attributes.fee, '2000')
    assert.equal(lateCancel.body().data.attributes.feeReason, 'late_cancel')
    const [event] = await events(tenant.tenantId, 'salon.appointment.cancelled').then((rows) =>
      rows.filter((row) => String(row.aggregate_id) === late.id)
    )
    const payload = typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload
    assert.equal(payload.fee, '2000')
    assert.isTrue(payload.late)

    const again = await post(client, tenant, `/appointments/${late.id}/cancel`, {})
    again.assertStatus(409)
    assert.equal(again.body().errors[0].code, 'APPOINTMENT_NOT_BOOKED')
    const move = await post(client, tenant, `/appointments/${late.id}/reschedule`, {
      startsAt: localAt(ZONE, 5, '10:00'),
    })
    move.assertStatus(409)
  })

  test('no-show (with its fee) and complete only once started; events for each', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client, { settings: { noShowFeePercent: 25 } })
    const a = await book(client, tenant, serviceId, localAt(ZONE, 2, '10:00'), 'A')
    const early = await post(client, tenant, `/appointments/${a.id}/no-show`)
    early.assertStatus(409)
    assert.equal(early.body().errors[0].code, 'APPOINTMENT_NOT_STARTED')
    await startedAnHourAgo(a.id)
    const noShow = await post(client, tenant, `/appointments/${a.id}/no-show`)
    noShow.assertStatus(200)
    assert.equal(noShow.body().data.attributes.status, 'no_show')
    assert.equal(noShow.body().data.attributes.fee, '1000')
    assert.equal(noShow.body().data.attributes.feeReason, 'no_show')
    assert.lengthOf(await events(tenant.tenantId, 'salon.appointment.no_show'), 1)

    const b = await book(client, tenant, serviceId, localAt(ZONE, 2, '14:00'), 'B')
    await startedAnHourAgo(b.id)
    const done = await post(client, tenant, `/appointments/${b.id}/complete`)
    done.assertStatus(200)
    assert.equal(done.body().data.attributes.status, 'completed')
    assert.equal(done.body().data.attributes.fee, '0')
    assert.lengthOf(await events(tenant.tenantId, 'salon.appointment.completed'), 1)
    const twice = await post(client, tenant, `/appointments/${b.id}/complete`)
    twice.assertStatus(409)

    const list = await get(client, tenant, '/appointments?filter[status]=no_show,completed')
    list.assertStatus(200)
    assert.sameMembers(
      list.body().data.map((row: any) => row.id),
      [a.id, b.id]
    )
  })

  test('recurring: every 2 weeks, 4 times, all-or-nothing with the conflicts listed', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    // a booking in the way of the third occurrence
    await book(client, tenant, serviceId, localAt(ZONE, 3 + 28, '10:15'), 'In the way')
    const refused = await post(client, tenant, '/appointments', {
      client: { name: 'Regular' },
      serviceId,
      startsAt: localAt(ZONE, 3, '10:00'),
      recurrence: { everyWeeks: 2, count: 4 },
    })
    refused.assertStatus(409)
    assert.equal(refused.body().errors[0].code, 'SLOT_TAKEN')
    const conflicts = refused.body().errors[0].meta.conflicts
    assert.lengthOf(conflicts, 1)
    assert.equal(conflicts[0].index, 2)
    assert.equal(conflicts[0].code, 'SLOT_TAKEN')
    assert.equal(conflicts[0].startsAt.slice(11, 16), '10:00')
    const count = await db.from('salon_appointments').where('tenant_id', tenant.tenantId)
    assert.lengthOf(count, 1)

    const series = await post(client, tenant, '/appointments', {
      client: { name: 'Regular' },
      serviceId,
      startsAt: localAt(ZONE, 3, '15:00'),
      recurrence: { everyWeeks: 2, count: 4 },
    })
    series.assertStatus(201)
    const appointments = series.body().meta.appointments
    assert.lengthOf(appointments, 4)
    // the same local time every other week, whatever the DST offset
    for (const [index, row] of appointments.entries()) {
      assert.equal(row.attributes.startsAt.slice(11, 16), '15:00')
      assert.equal(row.attributes.seriesIndex, index)
      assert.equal(row.attributes.seriesId, series.body().meta.seriesId)
    }
    const days = appointments.map((row: any) =>
      DateTime.fromISO(row.attributes.startsAt).setZone(ZONE).startOf('day')
    )
    assert.equal(days[1].diff(days[0], 'days').days, 14)
    assert.equal(days[3].diff(days[2], 'days').days, 14)
    assert.lengthOf(await events(tenant.tenantId, 'salon.appointment.booked'), 5)
  })

  test('waitlist: a freed slot is offered to the first waiting client (record and event)', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const taken = await book(client, tenant, serviceId, localAt(ZONE, 4, '11:00'), 'Holder')
    const crm = await client
      .post('/api/v1/crm/clients')
      .bearerToken(tenant.token)
      .header('Idempotency-Key', crypto.randomUUID())
      .json({ data: { attributes: { kind: 'person', name: 'Waiter' } } })
    const waiter = Number(crm.body().data.id)
    const window = {
      clientId: waiter,
      serviceId,
      from: localAt(ZONE, 4, '09:00'),
      to: localAt(ZONE, 4, '17:00'),
    }
    const first = await post(client, tenant, '/waitlist', window)
    first.assertStatus(201)
    const second = await post(client, tenant, '/waitlist', window)
    second.assertStatus(201)
    const outside = await post(client, tenant, '/waitlist', {
      ...window,
      from: localAt(ZONE, 6, '09:00'),
      to: localAt(ZONE, 6, '17:00'),
    })
    outside.assertStatus(201)
    const bad = await post(client, tenant, '/waitlist', { ...window, to: window.from })
    bad.assertStatus(422)

    const cancelled = await post(client, tenant, `/appointments/${taken.id}/cancel`, {})
    cancelled.assertStatus(200)
    const entries = await get(client, tenant, '/waitlist?sort=id')
    const byId = new Map(entries.body().data.map((row: any) => [row.id, row.attributes]))
    const offered: any = byId.get(first.body().data.id)
    assert.equal(offered.status, 'offered')
    assert.equal(
      offered.offer.startsAt,
      DateTime.fromISO(localAt(ZONE, 4, '11:00'))
        .toUTC()
        .toISO()
    )
    assert.equal(offered.offer.freedByAppointmentId, Number(taken.id))
    assert.equal((byId.get(second.body().data.id) as any).status, 'waiting')
    assert.equal((byId.get(outside.body().data.id) as any).status, 'waiting')
    const offers = await events(tenant.tenantId, 'salon.waitlist.offered')
    assert.lengthOf(offers, 1)
    assert.equal(String(offers[0].aggregate_id), first.body().data.id)
  })
})
