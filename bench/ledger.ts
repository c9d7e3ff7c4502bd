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
 * BENCH_SECONDS (default 4) per measurement. Not measured yet: the same
 * figures through the HTTP API.
 */
import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core'

const APP_ROOT = new URL('../', import.meta.url)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const CLIENTS = [1, 8, 32, 64]

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
  const spreadCodes: string[] = []
  const now = new Date().toISOString()
  const rows = Array.from({ length: 200 }, (_, i) => {
    const code = `B${String(i).padStart(4, '0')}`
    spreadCodes.push(code)
    return {
      tenant_id: tenantId,
      code,
      name: code,
      type: i % 2 ? 'asset' : 'revenue',
      normal_side: i % 2 ? 'debit' : 'credit',
      is_active: true,
      created_at: now,
      updated_at: now,
    }
  })
  await db.table('ledger_accounts').multiInsert(rows)
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

  async function checkInvariants() {
    const sums = await db
      .from('ledger_lines')
      .where('tenant_id', tenantId)
      .groupBy('currency')
      .select('currency', db.raw('SUM(amount)::text AS total'))
    if (sums.some((r: any) => r.total !== '0'))
      throw new Error('trial balance does not sum to zero')
    const dup = await db.rawQuery(
      'SELECT idempotency_key FROM ledger_entries WHERE tenant_id = ? GROUP BY idempotency_key HAVING COUNT(*) > 1',
      [tenantId]
    )
    if (dup.rows.length) throw new Error('duplicate idempotency keys')
    const unbalanced = await db.rawQuery(
      'SELECT entry_id FROM ledger_lines WHERE tenant_id = ? GROUP BY entry_id, currency HAVING SUM(amount) <> 0 LIMIT 1',
      [tenantId]
    )
    if (unbalanced.rows.length) throw new Error('an unbalanced entry')
    const lines = await db.from('ledger_lines').where('tenant_id', tenantId).count('* as n').first()
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
    const spread = await measure(clients, async () => {
      let a = pick()
      let b = pick()
      while (b === a) b = pick()
      await post(a, b)
    })
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
      'hot/s': hot.rate,
      'hot p50 ms': hot.p50,
      'hot p99 ms': hot.p99,
      'spread÷insert': +(spread.rate / insert.rate).toFixed(2),
      'hot÷spread': +(hot.rate / spread.rate).toFixed(2),
      'errors': insert.errors + spread.errors + hot.errors,
      'invariants ok (lines)': `${spreadLines}/${hotLines}`,
    })
    console.log(JSON.stringify(table.at(-1)))
  }
  console.table(table)

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
  const total = await checkInvariants()
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
