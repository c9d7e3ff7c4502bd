import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { addStaff, created, get, localAt, post, put, readySalon } from './helpers.js'

const ZONE = 'Europe/London'

test.group('Salon booking', () => {
  test('books an existing CRM client; deposit and price recorded; event and audit in the same transaction', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const crm = await client
      .post('/api/v1/crm/clients')
      .bearerToken(tenant.token)
      .header('Idempotency-Key', crypto.randomUUID())
      .json({ data: { attributes: { kind: 'person', name: 'Ada' } } })
    crm.assertStatus(201)
    const startsAt = localAt(ZONE, 3, '10:00')
    const response = await post(client, tenant, '/appointments', {
      clientId: Number(crm.body().data.id),
      serviceId,
      startsAt,
    })
    response.assertStatus(201)
    const appointment = response.body().data
    assert.equal(appointment.attributes.status, 'booked')
    assert.equal(appointment.attributes.staffId, tenant.ownerId)
    assert.equal(appointment.attributes.price, '4000')
    assert.equal(appointment.attributes.deposit, '1000')
    assert.equal(appointment.attributes.currency, 'EUR')
    assert.equal(appointment.attributes.startsAt.slice(11, 16), '10:00')
    assert.equal(appointment.attributes.endsAt.slice(11, 16), '10:45')
    assert.equal(appointment.attributes.timeZone, ZONE)

    const events = await db
      .from('event_outbox')
      .where({ tenant_id: tenant.tenantId, name: 'salon.appointment.booked' })
    assert.lengthOf(events, 1)
    assert.equal(String(events[0].aggregate_id), appointment.id)
    const audits = await db
      .from('audit_logs')
      .where({ tenant_id: tenant.tenantId, action: 'salon.appointment.booked' })
    assert.lengthOf(audits, 1)
    // the held time covers the 10-minute buffer after
    const slots = await db.from('salon_booking_slots').where('appointment_id', appointment.id)
    assert.lengthOf(slots, 1)
    assert.equal(Number(slots[0].ends_ms) - Number(slots[0].starts_ms), 55 * 60_000)

    const shown = await get(client, tenant, `/appointments/${appointment.id}`)
    shown.assertStatus(200)
    assert.equal(shown.body().data.attributes.services[0].serviceId, serviceId)
  })

  test('books a new client, creating it in the CRM with the booking', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const response = await post(client, tenant, '/appointments', {
      client: { name: 'Grace Hopper', email: 'Grace@Example.test' },
      serviceId,
      startsAt: localAt(ZONE, 2, '14:00'),
    })
    response.assertStatus(201)
    const clientId = response.body().data.attributes.clientId
    const crm = await client.get(`/api/v1/crm/clients/${clientId}`).bearerToken(tenant.token)
    crm.assertStatus(200)
    assert.equal(crm.body().data.attributes.name, 'Grace Hopper')
    assert.equal(crm.body().data.attributes.emails[0].email, 'grace@example.test')
  })

  test('a taken slot is 409 SLOT_TAKEN, buffers included; a slot after the buffer is fine', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const first = await post(client, tenant, '/appointments', {
      client: { name: 'A' },
      serviceId,
      startsAt: localAt(ZONE, 4, '09:00'),
    })
    first.assertStatus(201)
    const clash = await post(client, tenant, '/appointments', {
      client: { name: 'B' },
      serviceId,
      startsAt: localAt(ZONE, 4, '09:30'),
    })
    clash.assertStatus(409)
    assert.equal(clash.body().errors[0].code, 'SLOT_TAKEN')
    // 09:45 is inside the 10-minute buffer after the first cut
    const inBuffer = await post(client, tenant, '/appointments', {
      client: { name: 'C' },
      serviceId,
      startsAt: localAt(ZONE, 4, '09:45'),
    })
    inBuffer.assertStatus(409)
    const after = await post(client, tenant, '/appointments', {
      client: { name: 'D' },
      serviceId,
      startsAt: localAt(ZONE, 4, '09:55'),
    })
    after.assertStatus(201)
    const count = await db
      .from('salon_appointments')
      .where('tenant_id', tenant.tenantId)
      .count('* as total')
    assert.equal(Number(count[0].total), 2)
    // and no client was created for the refused bookings
    const clients = await db
      .from('crm_clients')
      .where('tenant_id', tenant.tenantId)
      .count('* as total')
    assert.equal(Number(clients[0].total), 2)
  })

  test('bad input is a clear 4xx and writes nothing', async ({ client, assert }) => {
    const { tenant, serviceId } = await readySalon(client, {
      settings: { minimumNoticeMinutes: 120, bookingHorizonDays: 30 },
    })
    const other = await addStaff(client, tenant, 'Not A Stylist')
    const base = { client: { name: 'X' }, serviceId }
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, startsAt: localAt(ZONE, -1, '10:00') }, 422, 'SLOT_IN_PAST'],
      [{ ...base, startsAt: localAt(ZONE, 2, '07:00') }, 422, 'OUTSIDE_HOURS'],
      [{ ...base, startsAt: localAt(ZONE, 2, '12:15') }, 422, 'OUTSIDE_HOURS'],
      [{ ...base, startsAt: localAt(ZONE, 2, '16:30') }, 422, 'OUTSIDE_HOURS'],
      [{ ...base, startsAt: localAt(ZONE, 45, '10:00') }, 422, 'BEYOND_HORIZON'],
      [
        { ...base, startsAt: localAt(ZONE, 2, '10:00'), endsAt: localAt(ZONE, 2, '09:00') },
        422,
        'VALIDATION_ERROR',
      ],
      [{ ...base, startsAt: 'tomorrow at ten' }, 422, 'VALIDATION_ERROR'],
      [{ ...base, serviceId: 999999, startsAt: localAt(ZONE, 2, '10:00') }, 422, 'UNKNOWN_SERVICE'],
      [{ ...base, staffId: 999999, startsAt: localAt(ZONE, 2, '10:00') }, 422, 'UNKNOWN_STAFF'],
      [
        { ...base, staffId: other, startsAt: localAt(ZONE, 2, '10:00') },
        422,
        'STAFF_CANNOT_PERFORM',
      ],
      [{ serviceId, startsAt: localAt(ZONE, 2, '10:00') }, 422, 'VALIDATION_ERROR'],
      [
        { ...base, client: undefined, clientId: 999999, startsAt: localAt(ZONE, 2, '10:00') },
        422,
        'UNKNOWN_CLIENT',
      ],
      [
        { ...base, currency: 'USD', startsAt: localAt(ZONE, 2, '10:00') },
        422,
        'CURRENCY_NOT_PRICED',
      ],
    ]
    for (const [attributes, status, code] of cases) {
      const response = await post(client, tenant, '/appointments', attributes)
      assert.equal(response.status(), status, `${JSON.stringify(attributes)}: ${response.text()}`)
      assert.equal(response.body().errors[0].code, code, response.text())
    }
    // within the minimum notice (2 h): only testable when 1 h from now is inside working hours
    const appointments = await db.from('salon_appointments').where('tenant_id', tenant.tenantId)
    assert.lengthOf(appointments, 0)
    const clients = await db.from('crm_clients').where('tenant_id', tenant.tenantId)
    assert.lengthOf(clients, 0)
    const events = await db
      .from('event_outbox')
      .where('tenant_id', tenant.tenantId)
      .where('name', 'like', 'salon.%')
    assert.lengthOf(events, 0)
  })

  test('several consecutive services with one staff member, resources held per service', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const basin = await created(
      await post(client, tenant, '/resources', { name: 'Basin', capacity: 1 }),
      'resource'
    )
    const wash = await created(
      await post(client, tenant, '/services', {
        name: 'Wash',
        durationMinutes: 15,
        prices: { EUR: '1000' },
        staffIds: [tenant.ownerId],
        resourceIds: [Number(basin.id)],
      }),
      'service'
    )
    const response = await post(client, tenant, '/appointments', {
      client: { name: 'Seq' },
      serviceIds: [Number(wash.id), serviceId],
      startsAt: localAt(ZONE, 5, '10:00'),
    })
    response.assertStatus(201)
    const attributes = response.body().data.attributes
    assert.equal(attributes.price, '5000')
    assert.equal(attributes.endsAt.slice(11, 16), '11:00')
    assert.deepEqual(
      attributes.services.map((item: any) => [
        item.startsAt.slice(11, 16),
        item.endsAt.slice(11, 16),
      ]),
      [
        ['10:00', '10:15'],
        ['10:15', '11:00'],
      ]
    )
    const holds = await db
      .from('salon_booking_slots')
      .where('appointment_id', response.body().data.id)
      .orderBy('subject_kind')
    assert.deepEqual(
      holds.map((row) => row.subject_kind),
      ['resource', 'staff']
    )
    // the basin is free again after the wash: another staff member can use it at 10:15
    const other = await addStaff(client, tenant, 'Second Stylist')
    const patched = await client
      .patch(`/api/v1/salon/services/${wash.id}`)
      .bearerToken(tenant.token)
      .json({ data: { attributes: { staffIds: [tenant.ownerId, other] } } })
    patched.assertStatus(200)
    const hours = await put(client, tenant, `/staff/${other}/hours`, {
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, starts: '09:00', ends: '17:00' })),
    })
    hours.assertStatus(200)
    const busyBasin = await post(client, tenant, '/appointments', {
      client: { name: 'Basin clash' },
      serviceId: Number(wash.id),
      staffId: other,
      startsAt: localAt(ZONE, 5, '10:05'),
    })
    busyBasin.assertStatus(409)
    const freeBasin = await post(client, tenant, '/appointments', {
      client: { name: 'Basin free' },
      serviceId: Number(wash.id),
      staffId: other,
      startsAt: localAt(ZONE, 5, '10:15'),
    })
    freeBasin.assertStatus(201)
  })
})
