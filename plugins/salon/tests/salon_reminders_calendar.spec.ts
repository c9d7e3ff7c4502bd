import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import ICAL from 'ical.js'
import { jobs } from '#jobs/jobs'
import { get, localAt, post, readySalon, salonTenant } from './helpers.js'

const ZONE = 'Europe/London'
const HOUR = 3600_000

async function runReminders(tenantId: number, now: number) {
  return jobs.execute({
    id: randomUUID(),
    name: 'salon.send-reminders',
    payload: { now: new Date(now).toISOString() },
    attempt: 1,
    tenantId,
  })
}

async function reminderEvents(tenantId: number) {
  const rows = await db
    .from('event_outbox')
    .where({ tenant_id: tenantId, name: 'salon.appointment.reminder_due' })
    .orderBy('id')
  return rows.map((row) => {
    const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload
    return { appointmentId: payload.appointmentId, offset: payload.offsetMinutes }
  })
}

function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text))
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone)
  return calendar
}

test.group('Salon reminders and calendars', () => {
  test('reminders are due 24 h and 2 h before, each sent once; a late booking skips the passed offset', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const book = async (startsAt: string) => {
      const response = await post(client, tenant, '/appointments', {
        client: { name: 'Remind me' },
        serviceId,
        startsAt,
      })
      response.assertStatus(201)
      return response.body().data
    }
    const a = await book(localAt(ZONE, 3, '10:00'))
    const b = await book(localAt(ZONE, 3, '15:00'))
    const c = await book(localAt(ZONE, 3, '16:00'))
    const startA = DateTime.fromISO(a.attributes.startsAt).toMillis()
    const startB = DateTime.fromISO(b.attributes.startsAt).toMillis()
    // B was booked 3 hours before its start; C is cancelled
    await db
      .from('salon_appointments')
      .where('id', b.id)
      .update({
        created_at: DateTime.fromMillis(startB - 3 * HOUR, { zone: 'utc' }).toFormat(
          'yyyy-MM-dd HH:mm:ss'
        ),
      })
    ;(await post(client, tenant, `/appointments/${c.id}/cancel`, {})).assertStatus(200)

    assert.equal(await runReminders(tenant.tenantId, startA - 25 * HOUR), 'done')
    assert.deepEqual(await reminderEvents(tenant.tenantId), [])

    await runReminders(tenant.tenantId, startA - 24 * HOUR + 60_000)
    await runReminders(tenant.tenantId, startA - 24 * HOUR + 120_000)
    assert.deepEqual(await reminderEvents(tenant.tenantId), [
      { appointmentId: Number(a.id), offset: 1440 },
    ])

    await runReminders(tenant.tenantId, startA - 2 * HOUR + 60_000)
    await runReminders(tenant.tenantId, startB - 2 * HOUR + 60_000)
    await runReminders(tenant.tenantId, startB - 2 * HOUR + 120_000)
    assert.deepEqual(await reminderEvents(tenant.tenantId), [
      { appointmentId: Number(a.id), offset: 1440 },
      { appointmentId: Number(a.id), offset: 120 },
      { appointmentId: Number(b.id), offset: 120 },
    ])
    const skipped = await db
      .from('salon_reminders')
      .where({ appointment_id: b.id, offset_minutes: 1440 })
    assert.equal(skipped[0].outcome, 'skipped')
  })

  test('per-staff iCalendar feed with a secret token (no login), rotate and revoke; per-appointment .ics', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const dstSafeDay = 2
    const booked = await post(client, tenant, '/appointments', {
      client: { name: 'Calendar client' },
      serviceId,
      startsAt: localAt(ZONE, dstSafeDay, '10:00'),
    })
    booked.assertStatus(201)
    const appointment = booked.body().data
    const start = DateTime.fromISO(appointment.attributes.startsAt)

    const ics = await get(client, tenant, `/appointments/${appointment.id}/ics`)
    ics.assertStatus(200)
    assert.match(ics.header('content-type') ?? '', /^text\/calendar/)
    const single = parseCalendar(ics.text())
    const [vevent] = single.getAllSubcomponents('vevent')
    assert.equal(vevent.getFirstProperty('dtstart')!.getParameter('tzid'), ZONE)
    const event = new ICAL.Event(vevent)
    assert.equal(event.uid, `salon-appointment-${appointment.id}@plinth`)
    assert.equal(event.summary, 'Cut')
    assert.equal(event.startDate.hour, 10)
    assert.equal(event.startDate.minute, 0)
    assert.equal(event.startDate.toJSDate().getTime(), start.toMillis())
    assert.equal(event.endDate.toJSDate().getTime(), start.plus({ minutes: 45 }).toMillis())

    const issued = await post(client, tenant, '/calendar-feeds', {})
    issued.assertStatus(201)
    const url = new URL(issued.body().data.attributes.url)
    assert.match(url.pathname, /^\/p\/salon-[^/]+\/salon\/calendars\/[A-Za-z0-9_-]{43}\.ics$/)
    const feed = await client.get(url.pathname)
    feed.assertStatus(200)
    const calendar = parseCalendar(feed.text())
    assert.lengthOf(calendar.getAllSubcomponents('vtimezone'), 1)
    const events = calendar.getAllSubcomponents('vevent').map((row) => new ICAL.Event(row))
    assert.lengthOf(events, 1)
    assert.equal(events[0].startDate.zone.tzid, ZONE)
    assert.equal(events[0].startDate.toJSDate().getTime(), start.toMillis())
    // the token hash only is stored
    const [row] = await db.from('salon_calendar_feeds').where('id', issued.body().data.id)
    assert.notInclude(row.token_hash, url.pathname.split('/').pop()!.replace('.ics', ''))

    // a wrong token, or the token under another tenant's slug: 404
    const other = await salonTenant(client)
    const otherSlug = (await db.from('tenants').where('id', other.tenantId).first()).slug
    ;(await client.get(url.pathname.replace(/\/p\/[^/]+\//, `/p/${otherSlug}/`))).assertStatus(404)
    ;(await client.get(url.pathname.replace(/[A-Za-z0-9_-]{43}/, 'x'.repeat(43)))).assertStatus(404)

    const rotated = await post(client, tenant, `/calendar-feeds/${issued.body().data.id}/rotate`)
    rotated.assertStatus(200)
    const newUrl = new URL(rotated.body().data.attributes.url)
    assert.notEqual(newUrl.pathname, url.pathname)
    ;(await client.get(url.pathname)).assertStatus(404)
    ;(await client.get(newUrl.pathname)).assertStatus(200)

    const revoked = await post(client, tenant, `/calendar-feeds/${issued.body().data.id}/revoke`)
    revoked.assertStatus(200)
    assert.isFalse(revoked.body().data.attributes.active)
    ;(await client.get(newUrl.pathname)).assertStatus(404)
  })
})
