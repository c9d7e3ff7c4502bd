import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import type { ApiClient } from '@japa/api-client'
import { localAt, post, readySalon, type SalonTenant } from './helpers.js'

const ZONE = 'Europe/London'
const postgres = () => db.connection().dialect.name === 'postgres'
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

/*
 * PostgreSQL: the database itself raises a transient error (deadlock,
 * serialization failure, too many connections) on the first `times` holds
 * this tenant inserts, as it would under contention. The count is a sequence,
 * so the aborted transactions do not roll it back.
 */
async function injectFaults(tenantId: number, code: string, times: number) {
  await db.rawQuery(`CREATE TABLE IF NOT EXISTS salon_test_faults
    (tenant_id integer PRIMARY KEY, code text NOT NULL, times integer NOT NULL)`)
  await db.rawQuery('CREATE SEQUENCE IF NOT EXISTS salon_test_fault_seq')
  await db.rawQuery(`CREATE OR REPLACE FUNCTION salon_test_fault() RETURNS trigger AS $$
    DECLARE fault record;
    BEGIN
      SELECT code, times INTO fault FROM salon_test_faults WHERE tenant_id = NEW.tenant_id;
      IF FOUND AND nextval('salon_test_fault_seq') <= fault.times THEN
        RAISE EXCEPTION 'injected transient error' USING ERRCODE = fault.code;
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`)
  await db.rawQuery(`CREATE OR REPLACE TRIGGER salon_test_fault BEFORE INSERT ON salon_booking_slots
    FOR EACH ROW EXECUTE FUNCTION salon_test_fault()`)
  await db.rawQuery('ALTER SEQUENCE salon_test_fault_seq RESTART')
  await db.rawQuery(
    `INSERT INTO salon_test_faults (tenant_id, code, times) VALUES (?, ?, ?)
     ON CONFLICT (tenant_id) DO UPDATE SET code = excluded.code, times = excluded.times`,
    [tenantId, code, times]
  )
}

async function removeFaults() {
  await db.rawQuery('DROP TRIGGER IF EXISTS salon_test_fault ON salon_booking_slots')
  await db.rawQuery('DROP FUNCTION IF EXISTS salon_test_fault()')
  await db.rawQuery('DROP TABLE IF EXISTS salon_test_faults')
  await db.rawQuery('DROP SEQUENCE IF EXISTS salon_test_fault_seq')
}

/*
 * SQLite: another connection (a worker process, a second server) holds the
 * write lock for `ms`; the booking's write meets SQLITE_BUSY once the
 * busy_timeout has passed. better-sqlite3 waits synchronously, so the lock is
 * released by the timer that runs between the two attempts.
 */
type SqliteHandle = { exec(sql: string): void; close(): void }

/* a second connection to the test database file, with the write lock taken */
async function lockingConnection(): Promise<SqliteHandle> {
  const driver = 'better-sqlite3' // the app's SQLite driver (it ships no type declarations)
  const { default: Database } = (await import(driver)) as {
    default: new (filename: string) => SqliteHandle
  }
  const config = db.getRawConnection('sqlite')!.config as { connection: { filename: string } }
  const other = new Database(config.connection.filename)
  other.exec('BEGIN IMMEDIATE')
  return other
}

async function holdSqliteWriteLock(ms: number) {
  const other = await lockingConnection()
  setTimeout(() => {
    other.exec('ROLLBACK')
    other.close()
  }, ms)
}

/*
 * A booking without an Idempotency-Key: on SQLite the kernel's idempotency
 * record is a write of its own, before the booking service, that the held lock
 * would refuse (a 503 from the exception handler, not the retry tested here).
 */
const book = (client: ApiClient, tenant: SalonTenant, attributes: Record<string, unknown>) =>
  client.post('/api/v1/salon/appointments').bearerToken(tenant.token).json({ data: { attributes } })

const count = async (table: string, tenantId: number) =>
  Number((await db.from(table).where('tenant_id', tenantId).count('* as n'))[0].n)

test.group('Salon booking: transient database errors never answer 500', (group) => {
  group.tap((check) => check.timeout(120_000))
  group.each.setup(() => limiter.clear())
  group.teardown(async () => {
    if (postgres()) await removeFaults()
  })

  test('a booking that meets a deadlock / a busy database is run again and answers 201, once', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    if (postgres()) await injectFaults(tenant.tenantId, '40P01', 2)
    else await holdSqliteWriteLock(1_000)
    const response = await book(client, tenant, {
      client: { name: 'Patient Client', email: 'patient@example.test' },
      serviceId,
      startsAt: localAt(ZONE, 5, '10:00'),
    })
    response.assertStatus(201)
    if (postgres())
      assert.equal(
        Number(
          (await db.rawQuery('SELECT last_value FROM salon_test_fault_seq')).rows[0].last_value
        ),
        3,
        'two aborted attempts, the third one committed'
      )
    // the aborted attempts left nothing behind: one appointment, one client, one event
    assert.equal(await count('salon_appointments', tenant.tenantId), 1)
    assert.equal(await count('salon_booking_slots', tenant.tenantId), 1)
    assert.equal(await count('crm_clients', tenant.tenantId), 1)
    const events = await db
      .from('event_outbox')
      .where({ tenant_id: tenant.tenantId, name: 'salon.appointment.booked' })
    assert.lengthOf(events, 1)
  })

  test('serialization failures, lock timeouts and refused connections are retried too', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const booked: number[] = []
    for (const [index, code] of ['40001', '53300', '55P03'].entries()) {
      if (postgres()) await injectFaults(tenant.tenantId, code, 1)
      else if (index === 0) await holdSqliteWriteLock(1_000)
      const response = await book(client, tenant, {
        client: { name: `Client ${code}` },
        serviceId,
        startsAt: localAt(ZONE, 6, hhmm((9 + index) * 60)),
      })
      assert.equal(response.status(), 201, `${code}: ${response.text()}`)
      booked.push(Number(response.body().data.id))
    }
    assert.equal(await count('salon_appointments', tenant.tenantId), 3)
    assert.equal(new Set(booked).size, 3)
  })

  test('still failing after the bounded retries: 503 SERVICE_BUSY with Retry-After, nothing written', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    if (!postgres()) {
      // SQLite: the lock outlives every attempt (busy_timeout each time)
      const other = await lockingConnection()
      try {
        const response = await book(client, tenant, {
          client: { name: 'Unlucky' },
          serviceId,
          startsAt: localAt(ZONE, 7, '10:00'),
        })
        assertBusy(response, assert)
      } finally {
        other.exec('ROLLBACK')
        other.close()
      }
    } else {
      await injectFaults(tenant.tenantId, '40P01', 1_000)
      const response = await book(client, tenant, {
        client: { name: 'Unlucky' },
        serviceId,
        startsAt: localAt(ZONE, 7, '10:00'),
      })
      assertBusy(response, assert)
      await injectFaults(tenant.tenantId, '40P01', 0)
    }
    assert.equal(await count('salon_appointments', tenant.tenantId), 0)
    assert.equal(await count('crm_clients', tenant.tenantId), 0)
  })

  test('concurrent bookings (new clients, one e-mail) and reschedules on one staff member: only 2xx/409, no overlap', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client, {
      service: { bufferAfterMinutes: 0, durationMinutes: 30 },
    })
    // quarter hours of the morning and the afternoon (lunch 12:00-13:00): every start overlaps others
    const starts = [9 * 60, 14 * 60].flatMap((from) =>
      Array.from({ length: 11 }, (_, n) => from + n * 15)
    )
    const at = (n: number) => localAt(ZONE, 8, hhmm(starts[n % starts.length]))
    // six appointments of the owner, on the hour, to be moved around at once
    const ids: number[] = []
    for (const minutes of [9, 10, 11, 14, 15, 16].map((hour) => hour * 60)) {
      const response = await post(client, tenant, '/appointments', {
        client: { name: `Regular ${minutes}` },
        serviceId,
        staffId: tenant.ownerId,
        startsAt: localAt(ZONE, 8, hhmm(minutes)),
      })
      response.assertStatus(201)
      ids.push(Number(response.body().data.id))
    }
    const requests = Array.from({ length: 36 }, (_, n) =>
      n % 3 === 0
        ? post(client, tenant, `/appointments/${ids[n % 6]}/reschedule`, { startsAt: at(n + 7) })
        : post(client, tenant, '/appointments', {
            client: { name: `Walk-in ${n}`, email: 'same.person@example.test' },
            serviceId,
            staffId: n % 2 ? tenant.ownerId : undefined,
            startsAt: at(n),
          })
    )
    const statuses = (await Promise.all(requests)).map((response) => response.status())
    assert.isTrue(
      statuses.every((status) => [200, 201, 409].includes(status)),
      statuses.join(',')
    )
    assert.isAbove(statuses.filter((status) => status === 201).length, 0, statuses.join(','))
    const clashes = await db.rawQuery(
      `SELECT COUNT(*) AS n FROM salon_booking_slots a JOIN salon_booking_slots b
         ON b.tenant_id = a.tenant_id AND b.subject_kind = a.subject_kind
        AND b.subject_id = a.subject_id AND b.unit = a.unit AND b.id > a.id
        AND a.starts_ms < b.ends_ms AND b.starts_ms < a.ends_ms
      WHERE a.tenant_id = ?`,
      [tenant.tenantId]
    )
    const rows = Array.isArray(clashes) ? clashes : clashes.rows
    assert.equal(Number(rows[0].n), 0)
    // every 201 is one booked appointment (the six regulars stay booked, moved or not)
    assert.equal(
      await count('salon_appointments', tenant.tenantId),
      6 + statuses.filter((status) => status === 201).length
    )
  })
})

function assertBusy(response: any, assert: any) {
  assert.equal(response.status(), 503, response.text())
  assert.equal(response.body().errors[0].code, 'SERVICE_BUSY')
  assert.equal(response.header('retry-after'), '2')
}
