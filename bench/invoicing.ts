/*
 * Invoices issued per second through the HTTP API, each with its ledger
 * posting (AR / revenue / tax payable): POST /api/v1/invoicing/invoices (a
 * draft) then POST /invoices/:id/send (number, due date, posting), at 1 and 16
 * concurrent clients, with p50/p95 per issued invoice. Baselines measured in
 * the same run on the same server: GET /health/live and a bare ledger posting
 * (POST /api/v1/ledger/entries, two lines). Afterwards a few payments are
 * recorded and the books are checked: invoice numbers 1..N without gaps or
 * duplicates, one issue posting per issued invoice, and the ledger's
 * receivable balance equal to what the open invoices still owe.
 *   npm run bench -- invoicing
 * Databases: with DB_CONNECTION set, that one; else SQLite (a throw-away file
 * in tmp/) and then PostgreSQL when PG_HOST is set (PG_* env; use a scratch
 * database: it is migrated and a new tenant is added each run). Each database
 * runs in a process of its own; a summary of both ends the run.
 * Tunables: BENCH_SECONDS (per measurement, default 5), BENCH_CLIENTS (default "1,16").
 */
import 'reflect-metadata'
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
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

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,16').split(',').map(Number)
const UNIT_PRICE = 10_000n // 100.00 EUR, plus 20% tax
const PAYMENTS = 25

ensureEnv()

runOncePerDatabase('Invoicing', import.meta.url)

const database = process.env.DB_CONNECTION!
process.env.NODE_ENV = 'production'
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn'
if (database === 'sqlite') {
  process.env.SQLITE_PATH = `${APP_ROOT}tmp/bench-invoicing.sqlite3`
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(`${process.env.SQLITE_PATH}${suffix}`, { force: true })
}
migrate()

const { server, base } = await startServer()
let exitCode = 0
try {
  /* a tenant with CRM + invoicing, a 20% tax rate and 16 clients */
  const id = randomUUID().slice(0, 8)
  const signup = await fetch(`${base}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      data: {
        attributes: {
          tenantName: `Invoicing bench ${id}`,
          tenantSlug: `inv-bench-${id}`,
          fullName: 'Bench owner',
          email: `bench-inv-${id}@example.test`,
          password: 'bench invoicing password 1',
        },
      },
    }),
  })
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`)
  const signedUp = (await signup.json()) as any
  const token = signedUp.meta.token.value as string
  const tenantId = Number(signedUp.data.id)

  /* POST with a fresh Idempotency-Key; the answer's JSON, or throws on an unexpected status */
  async function post(url: string, attributes: Record<string, unknown>, expected = 201) {
    const response = await fetch(`${base}/api/v1${url}`, {
      method: 'POST',
      headers: {
        'authorization': `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ data: { attributes } }),
    })
    const text = await response.text()
    if (response.status !== expected) throw new Error(`${url}: ${response.status} ${text}`)
    return JSON.parse(text) as any
  }

  await post('/plugins/invoicing/enable', { withDependencies: true }, 200)
  const tax = await post('/invoicing/tax-rates', { name: 'VAT', rate: '20' })
  const taxRateId = Number(tax.data.id)
  const clientIds: number[] = []
  for (let index = 0; index < 16; index++) {
    const created = await post('/crm/clients', { kind: 'company', name: `Bench client ${index}` })
    clientIds.push(Number(created.data.id))
  }

  const today = new Date().toISOString().slice(0, 10)
  /* the two steps' own latencies, to tell which one costs what */
  let steps = { draft: [] as number[], send: [] as number[] }
  const issueInvoice = async (client: number) => {
    const t0 = performance.now()
    const draft = await post('/invoicing/invoices', {
      clientId: clientIds[client % clientIds.length],
      currency: 'EUR',
      lines: [{ description: 'Bench work', quantity: 1, unitPrice: String(UNIT_PRICE), taxRateId }],
    })
    const t1 = performance.now()
    await post(`/invoicing/invoices/${draft.data.id}/send`, {}, 200)
    steps.draft.push(t1 - t0)
    steps.send.push(performance.now() - t1)
  }
  const median = (values: number[]) =>
    +percentile(
      [...values].sort((a, b) => a - b),
      50
    ).toFixed(2)
  const ledgerPosting = async () => {
    await post('/ledger/entries', {
      date: today,
      currency: 'EUR',
      memo: 'bench baseline',
      idempotencyKey: randomUUID(),
      lines: [
        { account: '6000', side: 'debit', amount: '100' },
        { account: '1020', side: 'credit', amount: '100' },
      ],
    })
  }
  const live = async () => {
    const response = await fetch(`${base}/health/live`)
    await response.arrayBuffer()
    if (response.status !== 200) throw new Error(`/health/live: ${response.status}`)
  }

  // warm-up: routes, JIT, connection pools
  for (let n = 0; n < 5; n++) {
    await live()
    await ledgerPosting()
    await issueInvoice(n)
  }

  const rows: Record<string, unknown>[] = []
  let issued = 5
  for (const clients of CLIENTS) {
    for (const [what, work] of [
      ['baseline: GET /health/live', () => live()],
      ['baseline: ledger posting (POST /ledger/entries)', () => ledgerPosting()],
      [
        'invoice issued (create + send, with its posting)',
        (client: number) => issueInvoice(client),
      ],
    ] as [string, (client: number) => Promise<void>][]) {
      steps = { draft: [], send: [] }
      const figures = await closedLoop(clients, SECONDS, (client) => work(client))
      if (what.startsWith('invoice')) issued += figures.done
      rows.push({
        'database': database,
        'clients': clients,
        'measure': what,
        'per s': figures.rate,
        'p50 ms': figures.p50,
        'p95 ms': figures.p95,
        'errors': figures.errors,
        ...(what.startsWith('invoice')
          ? { 'draft p50 ms': median(steps.draft), 'send p50 ms': median(steps.send) }
          : {}),
      })
      console.log(
        `${database} ${clients} client(s) ${what}: ${figures.rate}/s p50 ${figures.p50} ms p95 ${figures.p95} ms errors ${figures.errors}`
      )
    }
  }
  console.table(rows)

  /* a few payments (half of an invoice each), so the receivable check covers them too */
  const list = await fetch(
    `${base}/api/v1/invoicing/invoices?filter[status]=sent&limit=${PAYMENTS}`,
    { headers: { authorization: `Bearer ${token}` } }
  )
  const open = ((await list.json()) as any).data as { id: string }[]
  for (const invoice of open)
    await post(`/invoicing/invoices/${invoice.id}/payments`, { amount: '6000' })

  /* the books, read straight from the database */
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
  const invoices = await db
    .from('invoicing_invoices')
    .where({ tenant_id: tenantId, kind: 'invoice' })
    .whereNotNull('number')
    .select('number', 'status', 'total', 'amount_paid', 'amount_credited')
  const numbers = invoices.map((row) => Number(row.number)).sort((a, b) => a - b)
  const gapless = numbers.every((value, index) => value === index + 1)
  const owed = invoices
    .filter((row) => ['sent', 'partially_paid'].includes(row.status))
    .reduce(
      (sum, row) => sum + BigInt(row.total) - BigInt(row.amount_paid) - BigInt(row.amount_credited),
      0n
    )
  const receivable = await db.rawQuery(
    `SELECT CAST(COALESCE(SUM(l.amount), 0) AS TEXT) AS balance
       FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
      WHERE l.tenant_id = ? AND a.code = '1100' AND l.currency = 'EUR'`,
    [tenantId]
  )
  const arBalance = BigInt((Array.isArray(receivable) ? receivable : receivable.rows)[0].balance)
  const postings = await db
    .from('ledger_entries')
    .where({ tenant_id: tenantId, source_plugin: 'invoicing' })
    .count('* as count')
  await app.terminate()

  const checks = {
    'invoices issued': numbers.length,
    'issued as counted by the clients': issued,
    'numbers 1..N, no gap or duplicate': gapless && numbers.length === issued,
    'ledger entries by invoicing (issues + payments)': Number(postings[0].count),
    'AR ledger balance (EUR minor units)': arBalance.toString(),
    'open invoices owe': owed.toString(),
    'AR equals open invoices': arBalance === owed,
  }
  console.table(checks)
  const ok =
    checks['numbers 1..N, no gap or duplicate'] &&
    checks['AR equals open invoices'] &&
    checks['ledger entries by invoicing (issues + payments)'] === numbers.length + open.length
  if (!ok) {
    console.error('Invoicing bench: the books do not add up')
    exitCode = 1
  }
  reportRows(rows.map((row) => ({ ...row, 'books check': ok ? 'ok' : 'FAILED' })))
} finally {
  await stopServer(server)
}
process.exit(exitCode)
