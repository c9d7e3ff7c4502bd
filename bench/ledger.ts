/*
 * Ledger benchmark (PostgreSQL): postings/s and p50/p99 latency through the
 * ledger service at 1, 8, 32 and 64 concurrent clients, for (a) postings
 * spread over many accounts and (b) every posting hitting the same two
 * accounts, against a plain single-row INSERT baseline measured in the same
 * run. The invariants (trial balance zero per currency, balances = sum of
 * lines, unique keys) are checked after every run, and a trial balance is
 * timed over one million lines.
 *
 *   DB_CONNECTION=pg PG_DB_NAME=plinth_ledger node --import=ts-node-maintained/register/esm bench/ledger.ts
 *
 * The same figures through the HTTP API: the app server is started as in
 * production (its own process, API rate limit raised for it only) and entries
 * are POSTed over real HTTP with a bearer token by autocannon, each with its
 * own idempotency key.
 *
 * On PostgreSQL the ledger writes postings in flight together (group commit,
 * app/ledger/group_commit.ts); its counters are printed after each run.
 * Tunables: BENCH_SECONDS (default 4) per measurement, BENCH_CLIENTS
 * (default 1,8,32,64), BENCH_API=0 skips the HTTP part,
 * BENCH_TRIAL_BALANCE=0 the million-line trial balance, BENCH_SERVER_PROFILE=<dir>
 * writes a CPU profile of the app server there.
 */
import 'reflect-metadata'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { Ignitor } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,8,32,64').split(',').map(Number)
const HOST = '127.0.0.1'

type Figures = { rate: number; p50: number; p99: number; errors: number }

async function measure(
  clients: number,
  work: (client: number, n: number) => Promise<void>
): Promise<Figures> {
  const latencies: number[] = []
  let errors = 0
  const until = performance.now() + SECONDS * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < until; n++) {
        const t0 = performance.now()
        try {
          await work(client, n)
          latencies.push(performance.now() - t0)
        } catch (error) {
          errors++
          if (errors < 3) console.error(error)
        }
      }
    })
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return {
    rate: Math.round(latencies.length / elapsed),
    p50: +at(0.5).toFixed(2),
    p99: +at(0.99).toFixed(2),
    errors,
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/* The app server as in production, on the bench's database, rate limit raised for it only. */
async function startServer() {
  const port = await freePort()
  const server = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE}`]
        : []),
      '--import=ts-node-maintained/register/esm',
      'bin/server.ts',
    ],
    {
      cwd: fileURLToPath(APP_ROOT),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        API_RATE_LIMIT: '100000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    }
  )
  const base = `http://${HOST}:${port}`
  for (let attempt = 0; attempt < 240; attempt++) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`)
    try {
      const live = await fetch(`${base}/health/live`)
      if (live.ok) return { server, base }
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  server.kill('SIGKILL')
  throw new Error('the server did not answer /health/live within 60 s')
}

/* CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((resolve) => server.once('exit', resolve))
  server.kill('SIGTERM')
  if (!(await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]))) {
    server.kill('SIGKILL')
    await exited
  }
}

/* POST /api/v1/ledger/entries at `clients` connections; each request a fresh key. */
async function measureApi(
  base: string,
  token: string,
  clients: number,
  accounts: () => [string, string]
): Promise<Figures & { non2xx: number }> {
  let seq = 0
  const run = Math.random().toString(36).slice(2, 8)
  const result = await autocannon({
    url: `${base}/api/v1/ledger/entries`,
    connections: clients,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
        setupRequest: (request: any) => {
          const [debit, credit] = accounts()
          request.body = JSON.stringify({
            data: {
              attributes: {
                date: '2026-06-15',
                currency: 'EUR',
                memo: 'bench',
                idempotencyKey: `api-${run}-${seq++}`,
                lines: [
                  { account: debit, side: 'debit', amount: '12345' },
                  { account: credit, side: 'credit', amount: '12345' },
                ],
              },
            },
          })
          return request
        },
      },
    ],
  })
  return {
    rate: Math.round(result['2xx'] / (result.duration || SECONDS)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

async function main() {
  const ignitor = new Ignitor(APP_ROOT, {
    importer: (filePath: string) =>
      filePath.startsWith('./') || filePath.startsWith('../')
        ? import(new URL(filePath, APP_ROOT).href)
        : import(filePath),
  })
  const app = ignitor.createApp('console')
  await app.init()
  await app.boot()
  await import('#start/env')
  await app.start(async () => {})

  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { MigrationRunner } = await import('@adonisjs/lucid/migration')
  const { tenantContext } = await import('#tenancy/tenant_context')
  const { ledger } = await import('#ledger/ledger_service')
  const { groupCommit } = await import('#ledger/group_commit')
  const { createTenant } = await import('#tenancy/actions/create_tenant')
  const { trialBalance } = await import('#ledger/reports')
  const { default: User } = await import('#models/user')

  // the targets are about concurrent writers, which SQLite serializes by design
  if (db.connection().dialect.name !== 'postgres') {
    console.log('Skipped: the ledger bench runs on PostgreSQL (DB_CONNECTION=pg PG_DB_NAME=...)')
    await app.terminate()
    return
  }
  const migrator = new MigrationRunner(db, app, { direction: 'up' })
  await migrator.run()

  const id = Math.random().toString(36).slice(2, 10)
  const { tenant } = await createTenant({
    name: `Ledger bench ${id}`,
    slug: `ledger-bench-${id}`,
    owner: (trx: any) =>
      User.create(
        { email: `bench-${id}@example.test`, fullName: 'Bench', password: 'bench-password-x' },
        { client: trx }
      ),
  })
  const tenantId = tenant.id

  // 200 accounts for the spread-out case
  const spreadCodes = Array.from({ length: 200 }, (_, i) => `B${String(i).padStart(4, '0')}`)
  async function seedAccounts(owner: number) {
    const now = new Date().toISOString()
    await db.table('ledger_accounts').multiInsert(
      spreadCodes.map((code, i) => ({
        tenant_id: owner,
        code,
        name: code,
        type: i % 2 ? 'asset' : 'revenue',
        normal_side: i % 2 ? 'debit' : 'credit',
        is_active: true,
        created_at: now,
        updated_at: now,
      }))
    )
  }
  await seedAccounts(tenantId)
  await db.rawQuery(
    'CREATE TABLE IF NOT EXISTS bench_ledger_baseline (id bigserial primary key, tenant_id int, amount bigint, note text)'
  )

  let seq = 0
  const post = (debit: string, credit: string) =>
    tenantContext.run(tenantId, () =>
      ledger.post({
        date: '2026-06-15',
        currency: 'EUR',
        memo: 'bench',
        lines: [
          { account: debit, side: 'debit', amount: 12345n },
          { account: credit, side: 'credit', amount: 12345n },
        ],
        source: { plugin: 'bench' },
        idempotencyKey: `bench-${id}-${seq++}`,
      })
    )
  const pick = () => spreadCodes[Math.floor(Math.random() * spreadCodes.length)]
  const twoAccounts = (): [string, string] => {
    const a = pick()
    let b = pick()
    while (b === a) b = pick()
    return [a, b]
  }

  /* Throws unless the tenant's books hold every invariant; answers the number of lines. */
  async function checkInvariants(owner = tenantId, bulkLoaded = false) {
    const sums = await db
      .from('ledger_lines')
      .where('tenant_id', owner)
      .groupBy('currency')
      .select('currency', db.raw('SUM(amount)::text AS total'))
    if (sums.some((r: any) => r.total !== '0'))
      throw new Error('trial balance does not sum to zero')
    const dup = await db.rawQuery(
      'SELECT idempotency_key FROM ledger_entries WHERE tenant_id = ? GROUP BY idempotency_key HAVING COUNT(*) > 1',
      [owner]
    )
    if (dup.rows.length) throw new Error('duplicate idempotency keys')
    const unbalanced = await db.rawQuery(
      'SELECT entry_id FROM ledger_lines WHERE tenant_id = ? GROUP BY entry_id, currency HAVING SUM(amount) <> 0 LIMIT 1',
      [owner]
    )
    if (unbalanced.rows.length) throw new Error('an unbalanced entry')
    // every entry posted exactly once into the audit log and the outbox, in its transaction
    const written = await db.rawQuery(
      `SELECT (SELECT COUNT(*) FROM ledger_entries WHERE tenant_id = ?) AS entries,
              (SELECT COUNT(*) FROM audit_logs WHERE tenant_id = ? AND action = 'ledger.entry.posted') AS audited,
              (SELECT COUNT(*) FROM event_outbox WHERE tenant_id = ? AND name = 'ledger.entry.posted') AS events`,
      [owner, owner, owner]
    )
    const { entries, audited, events } = written.rows[0]
    // (bulk-loaded entries for the trial balance are written straight into the table, unaudited)
    if (!bulkLoaded && (entries !== audited || entries !== events))
      throw new Error(`${entries} entries but ${audited} audit rows and ${events} events`)
    const lines = await db.from('ledger_lines').where('tenant_id', owner).count('* as n').first()
    return Number(lines.n)
  }

  const table: Record<string, unknown>[] = []
  for (const clients of CLIENTS) {
    const insert = await measure(clients, async () => {
      await db.rawQuery(
        'INSERT INTO bench_ledger_baseline (tenant_id, amount, note) VALUES (?, ?, ?)',
        [tenantId, '12345', 'x']
      )
    })
    const cpu0 = process.cpuUsage()
    const spread = await measure(clients, async () => {
      await post(...twoAccounts())
    })
    const cpu = process.cpuUsage(cpu0)
    const cpuPerPosting = (cpu.user + cpu.system) / 1000 / (spread.rate * SECONDS)
    const spreadLines = await checkInvariants()
    const hot = await measure(clients, async () => {
      await post('1020', '4000')
    })
    const hotLines = await checkInvariants()
    table.push({
      clients,
      'insert/s': insert.rate,
      'spread/s': spread.rate,
      'spread p50 ms': spread.p50,
      'spread p99 ms': spread.p99,
      'CPU ms/posting': +cpuPerPosting.toFixed(2),
      'hot/s': hot.rate,
      'hot p50 ms': hot.p50,
      'hot p99 ms': hot.p99,
      'spread÷insert': +(spread.rate / insert.rate).toFixed(2),
      'hot÷spread': +(hot.rate / spread.rate).toFixed(2),
      'errors': insert.errors + spread.errors + hot.errors,
      'invariants ok (lines)': `${spreadLines}/${hotLines}`,
    })
    console.log(JSON.stringify(table.at(-1)), JSON.stringify(groupCommit.stats))
  }
  console.table(table)
  const at32 = table.find((row) => row.clients === 32)
  if (at32)
    console.log(
      `service at 32 clients: spread ÷ INSERT ${at32['spread÷insert']}, hot ÷ spread ${at32['hot÷spread']} (target >= 0.5), spread ${at32['spread/s']}/s (target >= 2,000)`
    )

  if (process.env.BENCH_API !== '0') {
    const { server, base } = await startServer()
    try {
      const response = await fetch(`${base}/api/v1/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          data: {
            attributes: {
              tenantName: `Ledger API bench ${id}`,
              tenantSlug: `ledger-api-bench-${id}`,
              fullName: 'Bench Owner',
              email: `bench-api-${id}@example.test`,
              password: 'bench-password-not-secret',
            },
          },
        }),
      })
      const body = (await response.json()) as any
      if (response.status !== 201) throw new Error(`signup failed: ${JSON.stringify(body)}`)
      const token = body.meta.token.value as string
      const apiTenant = Number(body.data.id)
      await seedAccounts(apiTenant)
      // warm-up: JIT, pools
      await measureApi(base, token, 8, twoAccounts)

      const apiTable: Record<string, unknown>[] = []
      for (const clients of CLIENTS) {
        const cpu0 = cpuSeconds(server.pid)
        const spread = await measureApi(base, token, clients, twoAccounts)
        const cpuPerPosting = ((cpuSeconds(server.pid) - cpu0) * 1000) / (spread.rate * SECONDS)
        const spreadLines = await checkInvariants(apiTenant)
        const hot = await measureApi(base, token, clients, () => ['1020', '4000'])
        const hotLines = await checkInvariants(apiTenant)
        apiTable.push({
          clients,
          'API spread/s': spread.rate,
          'spread p50 ms': spread.p50,
          'spread p99 ms': spread.p99,
          'server CPU ms/posting': +cpuPerPosting.toFixed(2),
          'API hot/s': hot.rate,
          'hot p50 ms': hot.p50,
          'hot p99 ms': hot.p99,
          'hot÷spread': +(hot.rate / spread.rate).toFixed(2),
          'non-2xx': spread.non2xx + hot.non2xx,
          'errors': spread.errors + hot.errors,
          'invariants ok (lines)': `${spreadLines}/${hotLines}`,
        })
        console.log(JSON.stringify(apiTable.at(-1)))
      }
      console.log('Through the HTTP API (POST /api/v1/ledger/entries, bearer token):')
      console.table(apiTable)
    } finally {
      await stopServer(server)
    }
  }

  if (process.env.BENCH_TRIAL_BALANCE === '0') {
    await app.terminate()
    return
  }

  // a trial balance over one million lines (bulk-loaded balanced entries)
  const have = await checkInvariants()
  const need = Math.max(0, 1_000_000 - have)
  const entries = Math.ceil(need / 2)
  const t0 = performance.now()
  await db.transaction(async (trx) => {
    // bulk load only: skip the per-entry balance trigger; the invariants are checked right after
    await trx.rawQuery('SET LOCAL session_replication_role = replica')
    await trx.rawQuery(
      `INSERT INTO ledger_entries (tenant_id, entry_date, memo, source_plugin, idempotency_key, payload_hash, created_at)
       SELECT ?, '2026-07-01', 'bulk', 'bench', 'bulk-' || g, 'x', now() FROM generate_series(1, ?) g`,
      [tenantId, entries]
    )
    await trx.rawQuery(
      `INSERT INTO ledger_lines (tenant_id, entry_id, account_id, currency, amount, entry_date)
       SELECT e.tenant_id, e.id, a.id, 'EUR', s.sign * (100 + e.id % 997), '2026-07-01'
       FROM ledger_entries e
       CROSS JOIN (VALUES (1), (-1)) AS s(sign)
       JOIN ledger_accounts a ON a.tenant_id = e.tenant_id AND a.code = 'B' || lpad(((e.id * 7 + (s.sign + 1) * 50) % 200)::text, 4, '0')
       WHERE e.tenant_id = ? AND e.source_plugin = 'bench' AND e.memo = 'bulk'`,
      [tenantId]
    )
  })
  console.log(`bulk-loaded ${entries} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  await db.rawQuery('ANALYZE ledger_lines')
  const total = await checkInvariants(tenantId, true)
  const timings: number[] = []
  for (let i = 0; i < 3; i++) {
    const t1 = performance.now()
    const report = await tenantContext.run(tenantId, () => trialBalance({ to: '2026-12-31' }))
    timings.push(performance.now() - t1)
    if (report.totals.EUR.debit !== report.totals.EUR.credit)
      throw new Error('trial balance does not balance')
  }
  console.log(
    `trial balance over ${total} lines: ${timings.map((t) => t.toFixed(0)).join(', ')} ms (3 runs)`
  )
  await db.rawQuery('DROP TABLE IF EXISTS bench_ledger_baseline')
  await app.terminate()
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
