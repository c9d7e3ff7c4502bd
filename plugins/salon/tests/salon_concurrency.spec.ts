import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { addStaff, created, localAt, post, put, readySalon } from './helpers.js'

const ZONE = 'Europe/London'

/* no two live appointments of a staff member overlap (buffers included) */
async function overlaps(tenantId: number) {
  const rows = await db
    .from('salon_booking_slots')
    .where('tenant_id', tenantId)
    .orderBy(['subject_kind', 'subject_id', 'unit', 'starts_ms'])
  let clashes = 0
  for (let index = 1; index < rows.length; index++) {
    const [a, b] = [rows[index - 1], rows[index]]
    if (
      a.subject_kind === b.subject_kind &&
      a.subject_id === b.subject_id &&
      a.unit === b.unit &&
      Number(b.starts_ms) < Number(a.ends_ms)
    )
      clashes++
  }
  return clashes
}

/*
 * The bursts must meet the booking rules, not the API rate limit: a run on
 * Redis can inherit counters of the same token id from a run a minute before
 * (ids restart with the schema), which the suite's clear() cannot reach until
 * this process has used the Redis limiter.
 */
async function freshRateLimits() {
  await limiter.clear()
}

test.group('Salon booking under concurrency', (group) => {
  group.tap((check) => check.timeout(120_000))

  test('50 concurrent requests for the same slot: exactly one 201 and 49 409 SLOT_TAKEN', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const startsAt = localAt(ZONE, 6, '11:00')
    await freshRateLimits()
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        post(client, tenant, '/appointments', {
          client: { name: `Racer ${index}` },
          serviceId,
          startsAt,
        })
      )
    )
    const statuses = responses.map((response) => response.status())
    assert.equal(statuses.filter((status) => status === 201).length, 1, statuses.join(','))
    assert.equal(statuses.filter((status) => status === 409).length, 49, statuses.join(','))
    for (const response of responses.filter((r) => r.status() === 409))
      assert.equal(response.body().errors[0].code, 'SLOT_TAKEN')
    const rows = await db.from('salon_appointments').where('tenant_id', tenant.tenantId)
    assert.lengthOf(rows, 1)
    // the losers' new clients were rolled back with their bookings
    const clients = await db.from('crm_clients').where('tenant_id', tenant.tenantId)
    assert.lengthOf(clients, 1)
    assert.equal(await overlaps(tenant.tenantId), 0)
  })

  test('50 concurrent requests for overlapping, staggered slots: no two overlap', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    // starts every 5 minutes from 09:00: a 45 + 10 minute hold fits one in each 55 minutes
    await freshRateLimits()
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) => {
        const minutes = 9 * 60 + index * 5
        const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
        return post(client, tenant, '/appointments', {
          client: { name: `Stagger ${index}` },
          serviceId,
          startsAt: localAt(ZONE, 7, time),
        })
      })
    )
    const statuses = responses.map((response) => response.status())
    assert.isTrue(
      statuses.every((status) => [201, 409, 422].includes(status)),
      statuses.join(',')
    )
    assert.isAbove(statuses.filter((status) => status === 201).length, 0)
    assert.equal(await overlaps(tenant.tenantId), 0)
  })

  test('a resource with capacity 2 wanted by 4 free staff at once: exactly 2 bookings, one per unit', async ({
    client,
    assert,
  }) => {
    const { tenant } = await readySalon(client)
    const room = await created(
      await post(client, tenant, '/resources', { name: 'Colour room', capacity: 2 }),
      'resource'
    )
    const staff = [tenant.ownerId]
    for (const name of ['Two', 'Three', 'Four']) staff.push(await addStaff(client, tenant, name))
    for (const userId of staff.slice(1))
      (
        await put(client, tenant, `/staff/${userId}/hours`, {
          hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
            weekday,
            starts: '09:00',
            ends: '17:00',
          })),
        })
      ).assertStatus(200)
    const service = await created(
      await post(client, tenant, '/services', {
        name: 'Colour',
        durationMinutes: 60,
        prices: { EUR: '8000' },
        staffIds: staff,
        resourceIds: [Number(room.id)],
      }),
      'service'
    )
    const startsAt = localAt('Europe/London', 9, '10:00')
    await freshRateLimits()
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        post(client, tenant, '/appointments', {
          client: { name: `Colour ${index}` },
          serviceId: Number(service.id),
          staffId: staff[index % 4],
          startsAt,
        })
      )
    )
    const statuses = responses.map((response) => response.status())
    assert.equal(statuses.filter((status) => status === 201).length, 2, statuses.join(','))
    assert.equal(statuses.filter((status) => status === 409).length, 14, statuses.join(','))
    const units = await db
      .from('salon_booking_slots')
      .where({ tenant_id: tenant.tenantId, subject_kind: 'resource' })
      .orderBy('unit')
    assert.deepEqual(
      units.map((row) => row.unit),
      [0, 1]
    )
    assert.equal(await overlaps(tenant.tenantId), 0)
  })

  test('the database itself refuses an overlapping hold (PostgreSQL exclusion constraint)', async ({
    client,
    assert,
  }) => {
    if (db.connection().dialect.name !== 'postgres') {
      // SQLite has no exclusion constraints: the serialized write with its check is the guarantee
      assert.equal(db.connection().dialect.name, 'better-sqlite3')
      return
    }
    const { tenant, serviceId } = await readySalon(client)
    const booked = await post(client, tenant, '/appointments', {
      client: { name: 'Holder' },
      serviceId,
      startsAt: localAt(ZONE, 8, '10:00'),
    })
    booked.assertStatus(201)
    const [hold] = await db
      .from('salon_booking_slots')
      .where('appointment_id', booked.body().data.id)
    await assert.rejects(
      () =>
        db.table('salon_booking_slots').insert({
          tenant_id: hold.tenant_id,
          appointment_id: hold.appointment_id,
          subject_kind: 'staff',
          subject_id: hold.subject_id,
          unit: 0,
          starts_ms: Number(hold.starts_ms) + 60_000,
          ends_ms: Number(hold.ends_ms) + 60_000,
        }),
      /salon_booking_slots_no_overlap/
    )
  })
})
