/*
 * Salon booking through the HTTP API, on a salon of 10 stylists (every day
 * 09:00-17:00 with a lunch break, a 45-minute cut with a 10-minute buffer):
 * - booking latency (p50/p95): POST /api/v1/salon/appointments, one client,
 *   BENCH_BOOKINGS bookings spread over the next 30 days (this also fills the
 *   calendar the availability is computed over);
 * - availability (p50/p95): GET /api/v1/salon/availability for the service
 *   over 30 days, any of the 10 staff (target: p95 under 50 ms), as the client
 *   sees it and as the server reports it (meta.computedInMs);
 * - contention: 200 clients compete for a small set of slots (4 times x 10
 *   staff of one day, each client trying those not yet known taken; when a
 *   day is full they move to the next) for
 *   BENCH_SECONDS: bookings/s, attempts/s, 201 vs 409 SLOT_TAKEN, p50/p95;
 * - afterwards, SQL straight on the database: no two held slots of one staff
 *   member overlap, no two booked appointments of one staff member overlap,
 *   and the rows match the 201s the clients counted.
 *   npm run bench -- salon
 * Databases: with DB_CONNECTION set, that one; else SQLite (a throw-away file
 * in tmp/) and then PostgreSQL when PG_HOST is set (PG_* env; use a scratch
 * database: it is migrated and a new tenant is added each run). Each database
 * runs in a process of its own; a summary of both ends the run.
 * Tunables: BENCH_SECONDS (contention, default 10), BENCH_CLIENTS (default 200),
 * BENCH_BOOKINGS (latency, default 300), BENCH_SAMPLES (availability, default 40).
 */
import 'reflect-metadata'
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { DateTime } from 'luxon'
import { Ignitor } from '@adonisjs/core'
// @ts-expect-error plain JavaScript helper shared with `npm start`
import { ensureEnv } from '../bin/ensure-env.js'
import {
  APP_ROOT,
  closedLoop,
  migrate,
  percentile,
  startServer,
  stopServer,
} from './support/server.js'
import { reportRows, runOncePerDatabase } from './support/per_database.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200)
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 300)
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40)
const STAFF = 10
const ZONE = 'Europe/London'
const TARGET_AVAILABILITY_P95_MS = 50

ensureEnv()

runOncePerDatabase('Salon booking', import.meta.url)

const database = process.env.DB_CONNECTION!
process.env.NODE_ENV = 'production'
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn'
if (database === 'sqlite') {
  process.env.SQLITE_PATH = `${APP_ROOT}tmp/bench-salon.sqlite3`
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(`${process.env.SQLITE_PATH}${suffix}`, { force: true })
}
migrate()

const summarize = (timings: number[]) => {
  const sorted = [...timings].sort((a, b) => a - b)
  return { p50: +percentile(sorted, 50).toFixed(2), p95: +percentile(sorted, 95).toFixed(2) }
}

/* a wall-clock time `days` from today in the salon's zone, ISO with its offset */
const localAt = (days: number, minute: number) =>
  DateTime.now()
    .setZone(ZONE)
    .startOf('day')
    .plus({ days })
    .set({ hour: Math.floor(minute / 60), minute: minute % 60 })
    .toISO({ suppressMilliseconds: true })!

const { server, base } = await startServer()
let exitCode = 0
try {
  const id = randomUUID().slice(0, 8)
  const signup = await fetch(`${base}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      data: {
        attributes: {
          tenantName: `Salon bench ${id}`,
          tenantSlug: `salon-bench-${id}`,
          fullName: 'Bench Owner',
          email: `salon-bench-${id}@example.test`,
          password: 'salon bench password 1',
        },
      },
    }),
  })
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`)
  const signedUp = (await signup.json()) as any
  const token = signedUp.meta.token.value as string
  const tenantId = Number(signedUp.data.id)
  const ownerId = Number(signedUp.meta.owner.id)

  async function call(method: string, url: string, attributes?: Record<string, unknown>) {
    return fetch(`${base}/api/v1${url}`, {
      method,
      headers: {
        'authorization': `Bearer ${token}`,
        'content-type': 'application/json',
        'accept': 'application/json',
      },
      body: attributes ? JSON.stringify({ data: { attributes } }) : undefined,
    })
  }
  async function expect(response: Response, status: number, what: string) {
    if (response.status !== status)
      throw new Error(`${what}: ${response.status} ${await response.text()}`)
    return (await response.json()) as any
  }

  /* the salon: CRM + salon, 10 staff with hours, one location, the cut, one client */
  await expect(
    await call('POST', '/plugins/salon/enable', { withDependencies: true }),
    200,
    'enable salon'
  )
  await expect(
    await call('PUT', '/plugins/salon/settings', {
      minimumNoticeMinutes: 0,
      bookingHorizonDays: 400,
    }),
    200,
    'settings'
  )
  const staff = [ownerId]
  for (let n = 1; n < STAFF; n++) {
    const member = await expect(
      await call('POST', '/members', {
        email: `stylist-${n}-${id}@example.test`,
        fullName: `Stylist ${n}`,
        role: 'worker',
      }),
      201,
      'member'
    )
    staff.push(Number(member.data.attributes.userId ?? member.data.id))
  }
  await expect(
    await call('POST', '/salon/locations', { name: 'High Street', timeZone: ZONE }),
    201,
    'location'
  )
  const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday,
    starts: '09:00',
    ends: '17:00',
    breaks: [{ starts: '12:00', ends: '13:00' }],
  }))
  for (const staffId of staff)
    await expect(await call('PUT', `/salon/staff/${staffId}/hours`, { hours }), 200, 'hours')
  const service = await expect(
    await call('POST', '/salon/services', {
      name: 'Cut',
      durationMinutes: 45,
      bufferAfterMinutes: 10,
      prices: { EUR: '4000' },
      staffIds: staff,
    }),
    201,
    'service'
  )
  const serviceId = Number(service.data.id)
  const crm = await expect(
    await call('POST', '/crm/clients', { kind: 'person', name: 'Bench Client' }),
    201,
    'client'
  )
  const clientId = Number(crm.data.id)
  const book = (staffId: number, startsAt: string) =>
    call('POST', '/salon/appointments', { clientId, serviceId, staffId, startsAt })

  /* booking latency, one client at a time, over the next 30 days (09:00, 10:00, 14:00... per staff) */
  const times = [9 * 60, 10 * 60, 11 * 60, 13 * 60, 14 * 60, 15 * 60, 16 * 60]
  const bookingTimings: number[] = []
  let seeded = 0
  for (let n = 0; n < BOOKINGS; n++) {
    const staffId = staff[n % STAFF]
    const slot = Math.floor(n / STAFF)
    const day = 1 + (slot % 30)
    const minute = times[Math.floor(slot / 30) % times.length]
    const t0 = performance.now()
    const response = await book(staffId, localAt(day, minute))
    bookingTimings.push(performance.now() - t0)
    if (response.status === 201) seeded++
    else if (response.status !== 409)
      throw new Error(`booking: ${response.status} ${await response.text()}`)
    await response.arrayBuffer()
  }
  const booking = summarize(bookingTimings.slice(Math.min(20, bookingTimings.length / 10)))

  /* availability: 30 days, any of the 10 staff */
  const from = localAt(1, 0).slice(0, 10)
  const to = localAt(30, 0).slice(0, 10)
  const availabilityTimings: number[] = []
  const serverTimings: number[] = []
  let slotCount = 0
  for (let n = 0; n < SAMPLES + 5; n++) {
    const t0 = performance.now()
    const response = await call(
      'GET',
      `/salon/availability?serviceId=${serviceId}&from=${from}&to=${to}`
    )
    const body = await expect(response, 200, 'availability')
    const elapsed = performance.now() - t0
    if (n < 5) continue // warm-up
    availabilityTimings.push(elapsed)
    serverTimings.push(body.meta.computedInMs)
    slotCount = body.data.length
  }
  const availability = summarize(availabilityTimings)
  const availabilityServer = summarize(serverTimings)

  /* contention: CLIENTS clients, 4 times x 10 staff per day, the next day when one is full */
  const contentionTimes = [10 * 60, 11 * 60, 14 * 60, 15 * 60]
  const perDay = contentionTimes.length * STAFF
  const firstDay = 40
  let day = firstDay
  const wonPerDay = new Map<number, number>()
  let won = 0
  let lost = 0
  /* what the clients learnt is taken (a 201 or a 409), as a booking page refreshing its slots */
  const known = new Set<string>()
  const contention = await closedLoop(CLIENTS, SECONDS, async () => {
    const today = day
    const open = Array.from({ length: perDay }, (_, pick) => pick).filter(
      (pick) => !known.has(`${today}:${pick}`)
    )
    const pick = open.length
      ? open[Math.floor(Math.random() * open.length)]
      : Math.floor(Math.random() * perDay)
    const staffId = staff[pick % STAFF]
    const minute = contentionTimes[Math.floor(pick / STAFF)]
    const response = await book(staffId, localAt(today, minute))
    await response.arrayBuffer()
    if (response.status === 201 || response.status === 409) known.add(`${today}:${pick}`)
    if (response.status === 201) {
      won++
      const count = (wonPerDay.get(today) ?? 0) + 1
      wonPerDay.set(today, count)
      if (count === perDay && day === today) day++
    } else if (response.status === 409) lost++
    else throw new Error(`contention booking: ${response.status}`)
  })

  /* the database: no overlap, every 201 a row */
  const app = new Ignitor(new URL(`file://${APP_ROOT}`), {
    importer: (path) =>
      import(path.startsWith('.') ? new URL(path, `file://${APP_ROOT}`).href : path),
  }).createApp('console')
  app.booting(async () => {
    await import('#start/env')
  })
  await app.init()
  await app.boot()
  await app.start(async () => {})
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const rows = (result: any) => (Array.isArray(result) ? result : result.rows)
  const overlappingHolds = rows(
    await db.rawQuery(
      `SELECT COUNT(*) AS n FROM salon_booking_slots a
         JOIN salon_booking_slots b
           ON b.tenant_id = a.tenant_id AND b.subject_kind = a.subject_kind
          AND b.subject_id = a.subject_id AND b.unit = a.unit AND b.id > a.id
          AND a.starts_ms < b.ends_ms AND b.starts_ms < a.ends_ms
        WHERE a.tenant_id = ?`,
      [tenantId]
    )
  )[0].n
  const overlappingAppointments = rows(
    await db.rawQuery(
      `SELECT COUNT(*) AS n FROM salon_appointments a
         JOIN salon_appointments b
           ON b.tenant_id = a.tenant_id AND b.staff_user_id = a.staff_user_id AND b.id > a.id
          AND a.starts_ms < b.ends_ms AND b.starts_ms < a.ends_ms
        WHERE a.tenant_id = ? AND a.status = 'booked' AND b.status = 'booked'`,
      [tenantId]
    )
  )[0].n
  const stored = rows(
    await db.rawQuery(
      `SELECT COUNT(*) AS n FROM salon_appointments WHERE tenant_id = ? AND status = 'booked'`,
      [tenantId]
    )
  )[0].n
  await app.terminate()

  const checks = {
    'appointments stored': Number(stored),
    '201s counted by the clients': seeded + won,
    'overlapping staff holds (SQL)': Number(overlappingHolds),
    'overlapping booked appointments (SQL)': Number(overlappingAppointments),
    'days filled under contention': [...wonPerDay.values()].filter((n) => n === perDay).length,
  }
  console.table(checks)
  const ok =
    checks['overlapping staff holds (SQL)'] === 0 &&
    checks['overlapping booked appointments (SQL)'] === 0 &&
    checks['appointments stored'] === checks['201s counted by the clients'] &&
    contention.errors === 0
  if (!ok) {
    console.error('Salon bench: double booking or lost bookings')
    exitCode = 1
  }
  const result = [
    {
      'database': database,
      'measure': `booking latency (1 client, ${BOOKINGS})`,
      'p50 ms': booking.p50,
      'p95 ms': booking.p95,
      'per s': null,
      'note': `${seeded} booked`,
    },
    {
      'database': database,
      'measure': `availability 30 days x ${STAFF} staff (client)`,
      'p50 ms': availability.p50,
      'p95 ms': availability.p95,
      'per s': null,
      'note': `${slotCount} slots; target p95 < ${TARGET_AVAILABILITY_P95_MS} ms: ${availability.p95 < TARGET_AVAILABILITY_P95_MS ? 'met' : 'MISSED'}`,
    },
    {
      'database': database,
      'measure': 'availability (server, computedInMs)',
      'p50 ms': availabilityServer.p50,
      'p95 ms': availabilityServer.p95,
      'per s': null,
      'note': '',
    },
    {
      'database': database,
      'measure': `${CLIENTS} clients, ${perDay} slots a day`,
      'p50 ms': contention.p50,
      'p95 ms': contention.p95,
      // bookings/s: the attempts' rate (over the loop and its last requests) times the share won
      'per s': +(contention.rate * (won / Math.max(1, won + lost))).toFixed(1),
      'note': `${won} booked (201), ${lost} SLOT_TAKEN (409), ${contention.rate} attempts/s; no overlap: ${ok ? 'ok' : 'FAILED'}`,
    },
  ]
  console.table(result)
  reportRows(result)
} finally {
  await stopServer(server)
}
process.exit(exitCode)
