import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { created, get, localAt, post, put, readySalon, salonTenant } from './helpers.js'

const ZONE = 'Europe/London'

const count = async (table: string, tenantId: number) =>
  Number((await db.from(table).where('tenant_id', tenantId).count('* as total'))[0].total)

test.group('Salon catalog and schedules', () => {
  test('locations: a wrong time zone or closing before opening is a 422 and writes nothing', async ({
    client,
    assert,
  }) => {
    const tenant = await salonTenant(client)
    for (const [attributes, pointer, code] of [
      [
        { name: 'X', timeZone: 'Mars/Olympus_Mons' },
        '/data/attributes/timeZone',
        'INVALID_TIME_ZONE',
      ],
      [{ name: 'X', timeZone: 'GMT+25' }, '/data/attributes/timeZone', 'INVALID_TIME_ZONE'],
      [{ name: 'X' }, '/data/attributes/timeZone', 'VALIDATION_ERROR'],
      [
        {
          name: 'X',
          timeZone: ZONE,
          openingHours: [{ weekday: 1, opens: '18:00', closes: '09:00' }],
        },
        '/data/attributes/openingHours/0/closes',
        'VALIDATION_ERROR',
      ],
      [
        {
          name: 'X',
          timeZone: ZONE,
          openingHours: [{ weekday: 8, opens: '09:00', closes: '17:00' }],
        },
        '/data/attributes/openingHours/0/weekday',
        'VALIDATION_ERROR',
      ],
      [
        {
          name: 'X',
          timeZone: ZONE,
          openingHours: [{ weekday: 1, opens: '9am', closes: '17:00' }],
        },
        '/data/attributes/openingHours/0/opens',
        'VALIDATION_ERROR',
      ],
    ] as const) {
      const response = await post(client, tenant, '/locations', attributes)
      assert.equal(response.status(), 422, response.text())
      assert.equal(response.body().errors[0].code, code)
      assert.equal(response.body().errors[0].source.pointer, pointer)
    }
    assert.equal(await count('salon_locations', tenant.tenantId), 0)

    const location = await created(
      await post(client, tenant, '/locations', { name: 'NYC', timeZone: 'America/New_York' }),
      'location'
    )
    const patch = await client
      .patch(`/api/v1/salon/locations/${location.id}`)
      .bearerToken(tenant.token)
      .json({ data: { attributes: { timeZone: 'Europe/Londres' } } })
    patch.assertStatus(422)
    const shown = await get(client, tenant, `/locations/${location.id}`)
    assert.equal(shown.body().data.attributes.timeZone, 'America/New_York')
  })

  test('services: unknown staff or resource, a deposit above the price, bad amounts are 422', async ({
    client,
    assert,
  }) => {
    const tenant = await salonTenant(client)
    const base = { name: 'Colour', durationMinutes: 90, prices: { EUR: '9000' } }
    for (const [attributes, pointer] of [
      [{ ...base, staffIds: [999999] }, '/data/attributes/staffIds/0'],
      [{ ...base, resourceIds: [999999] }, '/data/attributes/resourceIds/0'],
      [{ ...base, deposits: { EUR: '9001' } }, '/data/attributes/deposits/EUR'],
      [{ ...base, deposits: { GBP: '100' } }, '/data/attributes/deposits/GBP'],
      [{ ...base, prices: { EUR: '90.00' } }, '/data/attributes/prices/EUR'],
      [{ ...base, prices: { EUR: 9000 } }, '/data/attributes/prices/EUR'],
      [{ ...base, prices: { euro: '9000' } }, '/data/attributes/prices'],
      [{ ...base, durationMinutes: 0 }, '/data/attributes/durationMinutes'],
      [{ ...base, bufferAfterMinutes: -5 }, '/data/attributes/bufferAfterMinutes'],
    ] as const) {
      const response = await post(client, tenant, '/services', attributes)
      assert.equal(response.status(), 422, `${JSON.stringify(attributes)}: ${response.text()}`)
      assert.equal(response.body().errors[0].source.pointer, pointer, response.text())
    }
    assert.equal(await count('salon_services', tenant.tenantId), 0)
    const ok = await post(client, tenant, '/services', {
      ...base,
      prices: { EUR: '9000', JPY: '12000' },
      deposits: { EUR: '2000' },
      staffIds: [tenant.ownerId],
    })
    ok.assertStatus(201)
    assert.deepEqual(ok.body().data.attributes.prices, { EUR: '9000', JPY: '12000' })
    assert.deepEqual(ok.body().data.attributes.staffIds, [tenant.ownerId])
  })

  test('weekly hours, overrides and time off: bad intervals are 422, overlapping time off 409', async ({
    client,
    assert,
  }) => {
    const { tenant } = await readySalon(client)
    const hours = (list: object[]) =>
      put(client, tenant, `/staff/${tenant.ownerId}/hours`, { hours: list })
    for (const [list, pointer] of [
      [[{ weekday: 1, starts: '17:00', ends: '09:00' }], '/data/attributes/hours/0/ends'],
      [
        [
          { weekday: 1, starts: '09:00', ends: '13:00' },
          { weekday: 1, starts: '12:00', ends: '17:00' },
        ],
        '/data/attributes/hours/1',
      ],
      [
        [
          {
            weekday: 1,
            starts: '09:00',
            ends: '13:00',
            breaks: [{ starts: '12:30', ends: '13:30' }],
          },
        ],
        '/data/attributes/hours/0/breaks/0',
      ],
      [[{ weekday: 1, starts: '09:00', ends: '25:00' }], '/data/attributes/hours/0/ends'],
      [
        [{ weekday: 1, locationId: 999999, starts: '09:00', ends: '17:00' }],
        '/data/attributes/hours/0/locationId',
      ],
    ] as const) {
      const response = await hours(list as unknown as object[])
      assert.equal(response.status(), 422, response.text())
      assert.equal(response.body().errors[0].source.pointer, pointer, response.text())
    }
    // the previous schedule is intact
    const kept = await get(client, tenant, `/staff/${tenant.ownerId}/hours`)
    assert.lengthOf(kept.body().data.attributes.hours, 7)
    ;(await put(client, tenant, '/staff/999999/hours', { hours: [] })).assertStatus(404)

    const off = {
      startsAt: localAt(ZONE, 10, '09:00'),
      endsAt: localAt(ZONE, 12, '17:00'),
      reason: 'Holiday',
    }
    ;(await post(client, tenant, '/time-off', off)).assertStatus(201)
    const overlapping = await post(client, tenant, '/time-off', {
      startsAt: localAt(ZONE, 12, '12:00'),
      endsAt: localAt(ZONE, 13, '12:00'),
    })
    overlapping.assertStatus(409)
    assert.equal(overlapping.body().errors[0].code, 'TIME_OFF_OVERLAP')
    const backwards = await post(client, tenant, '/time-off', {
      startsAt: localAt(ZONE, 20, '12:00'),
      endsAt: localAt(ZONE, 20, '11:00'),
    })
    backwards.assertStatus(422)
    const strangers = await post(client, tenant, '/time-off', { ...off, staffId: 999999 })
    strangers.assertStatus(422)
    assert.equal(await count('salon_time_off', tenant.tenantId), 1)

    const badOverride = await post(client, tenant, '/overrides', {
      date: '2031-02-30',
      intervals: [{ starts: '10:00', ends: '12:00' }],
    })
    badOverride.assertStatus(422)
    const overlappingOverride = await post(client, tenant, '/overrides', {
      date: '2031-02-03',
      intervals: [
        { starts: '10:00', ends: '12:00' },
        { starts: '11:00', ends: '13:00' },
      ],
    })
    overlappingOverride.assertStatus(422)
    assert.equal(await count('salon_date_overrides', tenant.tenantId), 0)
  })

  test('opening hours and a shorter override day bound the slots', async ({ client, assert }) => {
    const { tenant, serviceId, locationId } = await readySalon(client)
    const patch = await client
      .patch(`/api/v1/salon/locations/${locationId}`)
      .bearerToken(tenant.token)
      .json({
        data: {
          attributes: {
            openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
              weekday,
              opens: '10:00',
              closes: '16:00',
            })),
          },
        },
      })
    patch.assertStatus(200)
    const day = DateTime.now().setZone(ZONE).plus({ days: 5 }).toISODate()!
    const list = await get(
      client,
      tenant,
      `/availability?serviceId=${serviceId}&from=${day}&to=${day}`
    )
    const starts = list.body().data.map((row: any) => row.attributes.startsAt.slice(11, 16))
    assert.equal(starts[0], '10:00')
    assert.equal(starts[starts.length - 1], '15:15')

    const override = await post(client, tenant, '/overrides', {
      date: day,
      intervals: [{ starts: '13:00', ends: '15:00' }],
    })
    override.assertStatus(201)
    const after = await get(
      client,
      tenant,
      `/availability?serviceId=${serviceId}&from=${day}&to=${day}`
    )
    const shorter = after.body().data.map((row: any) => row.attributes.startsAt.slice(11, 16))
    assert.deepEqual(shorter, ['13:00', '13:15', '13:30', '13:45', '14:00', '14:15'])
  })

  test("one tenant never sees or uses another's services, staff, clients or appointments", async ({
    client,
    assert,
  }) => {
    const a = await readySalon(client)
    const b = await readySalon(client)
    const booked = await post(client, a.tenant, '/appointments', {
      client: { name: 'A client' },
      serviceId: a.serviceId,
      startsAt: localAt(ZONE, 3, '10:00'),
    })
    booked.assertStatus(201)
    const appointment = booked.body().data

    ;(await get(client, b.tenant, `/appointments/${appointment.id}`)).assertStatus(404)
    ;(await get(client, b.tenant, `/appointments/${appointment.id}/ics`)).assertStatus(404)
    ;(await post(client, b.tenant, `/appointments/${appointment.id}/cancel`, {})).assertStatus(404)
    const listB = await get(client, b.tenant, '/appointments')
    assert.notInclude(
      listB.body().data.map((row: any) => row.id),
      appointment.id
    )
    const availability = await get(client, b.tenant, `/availability?serviceId=${a.serviceId}`)
    availability.assertStatus(400)
    for (const [attributes, code] of [
      [{ serviceId: a.serviceId, client: { name: 'x' } }, 'UNKNOWN_SERVICE'],
      [
        { serviceId: b.serviceId, staffId: a.tenant.ownerId, client: { name: 'x' } },
        'UNKNOWN_STAFF',
      ],
      [{ serviceId: b.serviceId, clientId: appointment.attributes.clientId }, 'UNKNOWN_CLIENT'],
    ] as const) {
      const response = await post(client, b.tenant, '/appointments', {
        ...attributes,
        startsAt: localAt(ZONE, 3, '11:00'),
      })
      assert.equal(response.status(), 422, response.text())
      assert.equal(response.body().errors[0].code, code)
    }
    const foreignStaff = await post(client, b.tenant, '/services', {
      name: 'Poach',
      durationMinutes: 30,
      prices: { EUR: '100' },
      staffIds: [a.tenant.ownerId],
    })
    foreignStaff.assertStatus(422)
    ;(await get(client, b.tenant, `/staff/${a.tenant.ownerId}/hours`)).assertStatus(404)
    // A's held time does not touch B's staff: B books the same local time
    const sameTime = await post(client, b.tenant, '/appointments', {
      client: { name: 'B client' },
      serviceId: b.serviceId,
      startsAt: localAt(ZONE, 3, '10:00'),
    })
    sameTime.assertStatus(201)
  })
})
