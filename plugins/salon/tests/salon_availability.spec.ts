import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { addStaff, get, localAt, post, put, readySalon } from './helpers.js'

const ZONE = 'Europe/London'

type Slot = { startsAt: string; endsAt: string; staffId: number; staffIds: number[] }

async function slots(client: any, tenant: any, query: string): Promise<Slot[]> {
  const response = await get(client, tenant, `/availability?${query}`)
  if (response.status() !== 200)
    throw new Error(`availability: ${response.status()} ${response.text()}`)
  return response.body().data.map((row: any) => row.attributes)
}

const times = (list: Slot[], date: string) =>
  list.filter((slot) => slot.startsAt.startsWith(date)).map((slot) => slot.startsAt.slice(11, 16))

/* the first local date on which the zone's UTC offset differs from the day before */
function nextOffsetChange(zone: string) {
  let day = DateTime.now().setZone(zone).startOf('day').plus({ days: 2 })
  for (let index = 0; index < 400; index++) {
    const next = day.plus({ days: 1 })
    if (next.set({ hour: 12 }).offset !== day.set({ hour: 12 }).offset) return next
    day = next
  }
  throw new Error(`no offset change in ${zone} within 400 days`)
}

test.group('Salon availability', () => {
  test('working hours, lunch break, service length and buffers shape the slots', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const day = DateTime.now().setZone(ZONE).plus({ days: 3 }).toISODate()!
    const list = await slots(client, tenant, `serviceId=${serviceId}&from=${day}&to=${day}`)
    const today = times(list, day)
    assert.equal(today[0], '09:00')
    assert.include(today, '11:15') // ends 12:00, at the break
    assert.notInclude(today, '11:30') // would run into lunch
    assert.notInclude(today, '12:30')
    assert.include(today, '13:00')
    assert.equal(today[today.length - 1], '16:15') // ends at 17:00
    assert.isTrue(list.every((slot) => slot.staffId === tenant.ownerId))

    // a booking at 10:00 (45 min + 10 min buffer) removes the starts that would overlap its hold
    // a local time without its offset is ambiguous: refused
    const noOffset = await post(client, tenant, '/appointments', {
      client: { name: 'Busy' },
      serviceId,
      startsAt: `${day}T10:00:00`,
    })
    noOffset.assertStatus(422)
    assert.equal(noOffset.body().errors[0].source.pointer, '/data/attributes/startsAt')
    const booked = await post(client, tenant, '/appointments', {
      client: { name: 'Busy' },
      serviceId,
      startsAt: DateTime.fromISO(`${day}T10:00:00`, { zone: ZONE }).toISO(),
    })
    booked.assertStatus(201)
    const after = times(
      await slots(client, tenant, `serviceId=${serviceId}&from=${day}&to=${day}`),
      day
    )
    // a start's own hold is 55 minutes too: 09:05 is the last before [10:00, 10:55), 10:55 the first after
    assert.include(after, '09:00')
    assert.notInclude(after, '09:15')
    assert.notInclude(after, '10:45')
    assert.include(after, '11:00')
  })

  test('09:00 stays 09:00 local across a DST change (Europe/London and America/New_York)', async ({
    client,
    assert,
  }) => {
    for (const zone of ['Europe/London', 'America/New_York']) {
      const { tenant, serviceId } = await readySalon(client, { zone })
      const change = nextOffsetChange(zone)
      const before = change.minus({ days: 1 })
      const list = await slots(
        client,
        tenant,
        `serviceId=${serviceId}&from=${before.toISODate()}&to=${change.plus({ days: 1 }).toISODate()}`
      )
      const first = (date: DateTime) =>
        list.find((slot) => slot.startsAt.startsWith(date.toISODate()!))!
      const a = first(before)
      const b = first(change)
      assert.equal(a.startsAt.slice(11, 16), '09:00', `${zone} before: ${a.startsAt}`)
      assert.equal(b.startsAt.slice(11, 16), '09:00', `${zone} after: ${b.startsAt}`)
      // same wall-clock time, different offsets: the instants are 24 h ± 1 h apart
      assert.notEqual(a.startsAt.slice(19), b.startsAt.slice(19))
      const gap = DateTime.fromISO(b.startsAt).diff(DateTime.fromISO(a.startsAt), 'hours').hours
      assert.include([23, 25], gap, `${zone}: ${a.startsAt} → ${b.startsAt}`)
      // and a booking at that slot is stored at the right instant
      const booking = await post(client, tenant, '/appointments', {
        client: { name: `DST ${zone}` },
        serviceId,
        startsAt: b.startsAt,
      })
      booking.assertStatus(201)
      assert.equal(booking.body().data.attributes.startsAt, b.startsAt)
      assert.equal(booking.body().data.attributes.timeZone, zone)
    }
  })

  test('any staff: the union of able staff, each slot naming who is assigned; time off and overrides remove slots', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const second = await addStaff(client, tenant, 'Second Stylist')
    const hours = await put(client, tenant, `/staff/${second}/hours`, {
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, starts: '12:00', ends: '19:00' })),
    })
    hours.assertStatus(200)
    const patched = await client
      .patch(`/api/v1/salon/services/${serviceId}`)
      .bearerToken(tenant.token)
      .json({ data: { attributes: { staffIds: [tenant.ownerId, second] } } })
    patched.assertStatus(200)
    const day = DateTime.now().setZone(ZONE).plus({ days: 4 }).toISODate()!
    const list = await slots(client, tenant, `serviceId=${serviceId}&from=${day}&to=${day}`)
    const at = (time: string) => list.find((slot) => slot.startsAt.slice(11, 16) === time)
    assert.deepEqual(at('09:00')!.staffIds, [tenant.ownerId])
    assert.deepEqual(at('12:15')!.staffIds, [second]) // the owner is at lunch
    assert.sameMembers(at('14:00')!.staffIds, [tenant.ownerId, second])
    assert.equal(at('14:00')!.staffId, at('14:00')!.staffIds[0])
    assert.deepEqual(at('18:00')!.staffIds, [second])

    // staffId narrows to one member
    const mine = await slots(
      client,
      tenant,
      `serviceId=${serviceId}&from=${day}&to=${day}&staffId=${second}`
    )
    assert.isTrue(mine.every((slot) => slot.staffId === second))
    assert.equal(mine[0].startsAt.slice(11, 16), '12:00')

    // time off for the second stylist in the afternoon, a day off override for the owner
    const off = await post(client, tenant, '/time-off', {
      staffId: second,
      startsAt: DateTime.fromISO(`${day}T15:00`, { zone: ZONE }).toISO(),
      endsAt: DateTime.fromISO(`${day}T19:00`, { zone: ZONE }).toISO(),
      reason: 'Dentist',
    })
    off.assertStatus(201)
    const dayOff = await post(client, tenant, '/overrides', { date: day, intervals: [] })
    dayOff.assertStatus(201)
    const after = await slots(client, tenant, `serviceId=${serviceId}&from=${day}&to=${day}`)
    assert.isTrue(after.every((slot) => slot.staffIds.join() === String(second)))
    assert.equal(after[0].startsAt.slice(11, 16), '12:00')
    // 14:00 + 45 min + 10 min buffer ends at 14:55, before the time off at 15:00
    assert.equal(after[after.length - 1].startsAt.slice(11, 16), '14:00')
  })

  test('any staff: the slot names who booking would assign (fewest bookings that day), and booking assigns them', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const second = await addStaff(client, tenant, 'Balance Stylist')
    ;(
      await put(client, tenant, `/staff/${second}/hours`, {
        hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
          weekday,
          starts: '09:00',
          ends: '17:00',
        })),
      })
    ).assertStatus(200)
    ;(
      await client
        .patch(`/api/v1/salon/services/${serviceId}`)
        .bearerToken(tenant.token)
        .json({ data: { attributes: { staffIds: [tenant.ownerId, second] } } })
    ).assertStatus(200)
    const day = DateTime.now().setZone(ZONE).plus({ days: 6 }).toISODate()!
    const lowest = Math.min(tenant.ownerId, second)
    const other = Math.max(tenant.ownerId, second)
    const before = await slots(client, tenant, `serviceId=${serviceId}&from=${day}&to=${day}`)
    const at = (list: Slot[], time: string) => list.find((s) => s.startsAt.slice(11, 16) === time)!
    assert.equal(at(before, '14:00').staffId, lowest) // a tie: the lowest id
    ;(
      await post(client, tenant, '/appointments', {
        client: { name: 'Morning' },
        serviceId,
        staffId: lowest,
        startsAt: DateTime.fromISO(`${day}T09:00`, { zone: ZONE }).toISO(),
      })
    ).assertStatus(201)
    const after = await slots(client, tenant, `serviceId=${serviceId}&from=${day}&to=${day}`)
    assert.equal(at(after, '14:00').staffId, other)
    const anyone = await post(client, tenant, '/appointments', {
      client: { name: 'Afternoon' },
      serviceId,
      startsAt: at(after, '14:00').startsAt,
    })
    anyone.assertStatus(201)
    assert.equal(anyone.body().data.attributes.staffId, other)
  })

  test('minimum notice and booking horizon bound the slots; bad parameters are 400', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client, {
      settings: { minimumNoticeMinutes: 3 * 24 * 60, bookingHorizonDays: 10 },
    })
    const from = DateTime.now().setZone(ZONE).toISODate()!
    const to = DateTime.now().setZone(ZONE).plus({ days: 20 }).toISODate()!
    const list = await slots(client, tenant, `serviceId=${serviceId}&from=${from}&to=${to}`)
    assert.isAbove(list.length, 0)
    const earliest = DateTime.fromISO(list[0].startsAt).toMillis()
    const latest = DateTime.fromISO(list[list.length - 1].startsAt).toMillis()
    assert.isAtLeast(earliest, Date.now() + 3 * 24 * 3600_000 - 60_000)
    assert.isAtMost(latest, Date.now() + 10 * 24 * 3600_000)

    for (const [query, parameter] of [
      [`serviceId=abc`, 'serviceId'],
      [`serviceId=999999`, 'serviceId'],
      [`serviceId=${serviceId}&from=${to}&to=${from}`, 'to'],
      [`serviceId=${serviceId}&from=yesterday`, 'from'],
      [`serviceId=${serviceId}&from=${from}&to=2099-01-01`, 'to'],
      [`serviceId=${serviceId}&staffId=999999`, 'staffId'],
      [`serviceId=${serviceId}&step=7.5`, 'step'],
    ]) {
      const response = await get(client, tenant, `/availability?${query}`)
      assert.equal(response.status(), 400, `${query}: ${response.text()}`)
      assert.equal(response.body().errors[0].source.parameter, parameter, query)
    }
  })

  test('30 days for 10 staff answers in milliseconds (interval arithmetic over a few queries)', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const staff = [tenant.ownerId]
    for (let index = 1; index < 10; index++) staff.push(await addStaff(client, tenant, `S${index}`))
    for (const userId of staff.slice(1)) {
      const response = await put(client, tenant, `/staff/${userId}/hours`, {
        hours: [1, 2, 3, 4, 5, 6].map((weekday) => ({
          weekday,
          starts: '08:30',
          ends: '18:30',
          breaks: [{ starts: '13:00', ends: '13:30' }],
        })),
      })
      response.assertStatus(200)
    }
    const patched = await client
      .patch(`/api/v1/salon/services/${serviceId}`)
      .bearerToken(tenant.token)
      .json({ data: { attributes: { staffIds: staff } } })
    patched.assertStatus(200)
    // a few bookings so held slots take part
    for (let index = 0; index < 12; index++) {
      const booked = await post(client, tenant, '/appointments', {
        client: { name: `Load ${index}` },
        serviceId,
        startsAt: localAt(ZONE, 1 + (index % 6), `${10 + (index % 5)}:00`),
      })
      assert.include([201, 409], booked.status(), booked.text())
    }
    const from = DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate()!
    const to = DateTime.now().setZone(ZONE).plus({ days: 30 }).toISODate()!
    const server: number[] = []
    const wall: number[] = []
    let total = 0
    for (let run = 0; run < 20; run++) {
      const began = performance.now()
      const response = await get(
        client,
        tenant,
        `/availability?serviceId=${serviceId}&from=${from}&to=${to}`
      )
      wall.push(performance.now() - began)
      response.assertStatus(200)
      server.push(response.body().meta.computedInMs)
      total = response.body().meta.total
    }
    const p = (values: number[], q: number) =>
      [...values].sort((x, y) => x - y)[Math.ceil(q * values.length) - 1]
    console.log(
      `availability 30 days x 10 staff: ${total} slots; handler p50 ${p(server, 0.5)} ms p95 ${p(server, 0.95)} ms; request p50 ${p(wall, 0.5).toFixed(1)} ms p95 ${p(wall, 0.95).toFixed(1)} ms`
    )
    assert.isAbove(total, 1000)
    // the target is p95 < 50 ms (measured here: handler p50 13 ms, p95 25-45 ms at load 3 on
    // 2 cores); this bound only catches a per-slot query or a quadratic loop on a loaded CI machine
    assert.isBelow(p(server, 0.5), 250)
  }).timeout(120_000)
})
