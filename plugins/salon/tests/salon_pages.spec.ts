import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import { staffUser } from '#plinth/testing'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import {
  EVERY_DAY_9_TO_5,
  addStaff,
  created,
  get,
  localAt,
  post,
  put,
  readySalon,
  type SalonTenant,
} from './helpers.js'

const ZONE = 'Europe/London'

const errorsOf = (response: { flashMessages(): Record<string, any> }) =>
  (response.flashMessages().errorsBag ?? {}) as Record<string, string>

type Who = { user: Awaited<ReturnType<typeof staffUser>>; tenantId: number }

async function owner(tenant: SalonTenant): Promise<Who> {
  return { user: await staffUser(tenant.ownerId), tenantId: tenant.tenantId }
}

function visit(client: ApiClient, path: string, who: Who) {
  return client.get(path).withInertia().loginAs(who.user).withSession({ tenantId: who.tenantId })
}

function submit(client: ApiClient, path: string, who: Who, body: Record<string, unknown>) {
  return client
    .post(path)
    .withCsrfToken()
    .loginAs(who.user)
    .withSession({ tenantId: who.tenantId })
    .json(body)
    .redirects(0)
}

/* a salon with two stylists for the cut and a chair it needs; one appointment with Ada */
async function busySalon(client: ApiClient) {
  const salon = await readySalon(client)
  const { tenant, serviceId } = salon
  const bella = await addStaff(client, tenant, 'Bella Stylist')
  ;(await put(client, tenant, `/staff/${bella}/hours`, { hours: EVERY_DAY_9_TO_5 })).assertStatus(
    200
  )
  const chair = await created(
    await post(client, tenant, '/resources', { name: 'Chair 1', capacity: 1 }),
    'resource'
  )
  const patch = await client
    .patch(`/api/v1/salon/services/${serviceId}`)
    .bearerToken(tenant.token)
    .json({
      data: { attributes: { staffIds: [tenant.ownerId, bella], resourceIds: [Number(chair.id)] } },
    })
  patch.assertStatus(200)
  const startsAt = localAt(ZONE, 2, '10:00')
  const booked = await created(
    await post(client, tenant, '/appointments', {
      serviceId,
      staffId: tenant.ownerId,
      startsAt,
      client: { name: 'Ada Lovelace', email: `ada-${randomUUID().slice(0, 6)}@example.test` },
    }),
    'appointment'
  )
  return {
    ...salon,
    bella,
    chairId: Number(chair.id),
    appointment: booked,
    date: startsAt.slice(0, 10),
  }
}

test.group('Salon staff pages', () => {
  test('day calendar: a column per staff member, the appointment placed in local minutes', async ({
    client,
    assert,
  }) => {
    const { tenant, bella, appointment, date } = await busySalon(client)
    const page = await visit(client, `/app/salon/calendar?date=${date}`, await owner(tenant))
    page.assertStatus(200)
    page.assertInertiaComponent('plugins/salon/calendar')
    const props = page.inertiaProps
    assert.equal(props.view, 'day')
    assert.equal(props.date, date)
    assert.equal(props.timeZone, ZONE)
    assert.sameMembers(
      props.columns.map((c: any) => c.staffId),
      [tenant.ownerId, bella]
    )
    assert.include(
      props.columns.map((c: any) => c.label),
      'Bella Stylist'
    )
    assert.lengthOf(props.appointments, 1)
    const shown = props.appointments[0]
    assert.equal(shown.id, Number(appointment.id))
    assert.equal(shown.column, `s${tenant.ownerId}`)
    assert.equal(shown.startMinute, 600)
    assert.equal(shown.endMinute, 645)
    assert.equal(shown.clientName, 'Ada Lovelace')
    assert.deepEqual(shown.services, ['Cut'])
    assert.isTrue(props.canWrite)
    assert.include(
      props.shell.nav.map((item: { href: string }) => item.href),
      '/app/salon/calendar'
    )

    // another day is empty
    const next = await visit(client, `/app/salon/calendar?date=${props.next}`, await owner(tenant))
    assert.lengthOf(next.inertiaProps.appointments, 0)
  })

  test('week calendar per staff member and per resource', async ({ client, assert }) => {
    const { tenant, bella, chairId, appointment, date } = await busySalon(client)
    const who = await owner(tenant)
    const week = await visit(
      client,
      `/app/salon/calendar?view=week&date=${date}&staffId=${tenant.ownerId}`,
      who
    )
    week.assertStatus(200)
    const props = week.inertiaProps
    assert.equal(props.view, 'week')
    assert.lengthOf(props.columns, 7)
    assert.equal(DateTime.fromISO(props.columns[0].date).weekday, 1)
    assert.deepEqual(props.subject, { kind: 'staff', id: tenant.ownerId })
    assert.lengthOf(props.appointments, 1)
    assert.equal(props.appointments[0].column, date)

    const bellaWeek = await visit(
      client,
      `/app/salon/calendar?view=week&date=${date}&staffId=${bella}`,
      who
    )
    assert.lengthOf(bellaWeek.inertiaProps.appointments, 0)

    const chairWeek = await visit(
      client,
      `/app/salon/calendar?view=week&date=${date}&resourceId=${chairId}`,
      who
    )
    assert.deepEqual(chairWeek.inertiaProps.subject, { kind: 'resource', id: chairId })
    assert.lengthOf(chairWeek.inertiaProps.appointments, 1)
    assert.equal(chairWeek.inertiaProps.appointments[0].id, Number(appointment.id))

    const chairsDay = await visit(client, `/app/salon/calendar?date=${date}&subject=resources`, who)
    assert.deepEqual(
      chairsDay.inertiaProps.columns.map((c: any) => c.key),
      [`r${chairId}`]
    )
    assert.equal(chairsDay.inertiaProps.appointments[0].column, `r${chairId}`)
  })

  test('booking and rescheduling from the calendar go through the booking service', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId, bella, appointment, date } = await busySalon(client)
    const who = await owner(tenant)
    const count = async () =>
      (await db.from('salon_appointments').where('tenant_id', tenant.tenantId)).length

    const booked = await submit(client, '/app/salon/calendar/book', who, {
      serviceId,
      staffId: bella,
      startsAt: `${date}T14:00`,
      clientName: 'Walk In',
      clientPhone: '+44 20 0000 0000',
    })
    booked.assertStatus(302)
    assert.match(String(booked.flashMessages().notice), /Booked/)
    assert.equal(await count(), 2)
    const row = await db
      .from('salon_appointments')
      .where('tenant_id', tenant.tenantId)
      .where('staff_user_id', bella)
      .first()
    assert.equal(
      DateTime.fromMillis(Number(row.starts_ms), { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm'),
      `${date} 14:00`
    )

    // the same time again: back to the page with the booking service's refusal, nothing written
    const taken = await submit(client, '/app/salon/calendar/book', who, {
      serviceId,
      staffId: bella,
      startsAt: `${date}T14:00`,
      clientName: 'Second',
    })
    taken.assertStatus(302)
    assert.equal(errorsOf(taken).form, 'This time is already booked')
    assert.equal(await count(), 2)

    const invalid = await submit(client, '/app/salon/calendar/book', who, {
      serviceId,
      startsAt: 'tomorrow',
      clientName: 'X',
    })
    invalid.assertStatus(302)
    assert.equal(errorsOf(invalid).startsAt, 'Pick a date and a time')
    assert.equal(await count(), 2)

    const moved = await submit(
      client,
      `/app/salon/calendar/appointments/${appointment.id}/reschedule`,
      who,
      { startsAt: `${date}T15:00`, staffId: tenant.ownerId }
    )
    moved.assertStatus(302)
    const shown = await get(client, tenant, `/appointments/${appointment.id}`)
    assert.equal(shown.body().data.attributes.startsAt.slice(11, 16), '15:00')

    // onto Bella's 14:00 appointment: refused, the appointment stays where it was
    const clash = await submit(
      client,
      `/app/salon/calendar/appointments/${appointment.id}/reschedule`,
      who,
      { startsAt: `${date}T14:15`, staffId: bella }
    )
    clash.assertStatus(302)
    assert.property(errorsOf(clash), 'form')
    const still = await get(client, tenant, `/appointments/${appointment.id}`)
    assert.equal(still.body().data.attributes.startsAt.slice(11, 16), '15:00')
    assert.equal(still.body().data.attributes.staffId, tenant.ownerId)
  })

  test('a role without salon.write sees the calendar but cannot book from it', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId, date } = await busySalon(client)
    const email = `limited-${randomUUID().slice(0, 8)}@example.test`
    const added = await client
      .post('/api/v1/members')
      .bearerToken(tenant.token)
      .header('Idempotency-Key', randomUUID())
      .json({ data: { attributes: { email, fullName: 'Limited', role: 'limited_worker' } } })
    added.assertStatus(201)
    const who = { user: await staffUser(email), tenantId: tenant.tenantId }
    const page = await visit(client, `/app/salon/calendar?date=${date}`, who)
    page.assertStatus(200)
    assert.isFalse(page.inertiaProps.canWrite)
    const refused = await submit(client, '/app/salon/calendar/book', who, {
      serviceId,
      staffId: tenant.ownerId,
      startsAt: `${date}T15:00`,
      clientName: 'Nope',
    })
    refused.assertStatus(403)
    const rows = await db.from('salon_appointments').where('tenant_id', tenant.tenantId)
    assert.lengthOf(rows, 1)
  })

  test("client history page and the CRM timeline; another tenant's client is a 404", async ({
    client,
    assert,
  }) => {
    const { tenant, appointment } = await busySalon(client)
    const clientId = appointment.attributes.clientId
    const page = await visit(client, `/app/salon/clients/${clientId}`, await owner(tenant))
    page.assertStatus(200)
    page.assertInertiaComponent('plugins/salon/client_history')
    const props = page.inertiaProps
    assert.equal(props.client.name, 'Ada Lovelace')
    assert.lengthOf(props.upcoming, 1)
    assert.equal(props.upcoming[0].id, Number(appointment.id))
    assert.equal(props.upcoming[0].priceText, 'EUR 40.00')
    assert.deepEqual(props.upcoming[0].services, ['Cut'])
    assert.deepEqual(props.summary, { completed: 0, noShows: 0, cancelled: 0, lateCancels: 0 })

    const cancelled = await post(client, tenant, `/appointments/${appointment.id}/cancel`, {})
    cancelled.assertStatus(200)
    const after = await visit(client, `/app/salon/clients/${clientId}`, await owner(tenant))
    assert.lengthOf(after.inertiaProps.upcoming, 0)
    assert.equal(after.inertiaProps.past[0].status, 'cancelled')
    assert.equal(after.inertiaProps.summary.cancelled, 1)

    const timeline = await client
      .get(`/api/v1/crm/clients/${clientId}/timeline`)
      .bearerToken(tenant.token)
    timeline.assertStatus(200)
    const salonEntries = timeline
      .body()
      .data.filter((entry: any) => entry.attributes.source === 'salon')
    assert.lengthOf(salonEntries, 1)
    assert.equal(salonEntries[0].attributes.type, 'salon.appointment.cancelled')
    assert.equal(salonEntries[0].attributes.title, 'Cancelled: Cut')

    const other = await readySalon(client)
    const hidden = await visit(client, `/app/salon/clients/${clientId}`, await owner(other.tenant))
    hidden.assertStatus(404)
    const otherCalendar = await visit(
      client,
      `/app/salon/calendar?date=${appointment.attributes.startsAt.slice(0, 10)}`,
      await owner(other.tenant)
    )
    assert.lengthOf(otherCalendar.inertiaProps.appointments, 0)
  })
})
