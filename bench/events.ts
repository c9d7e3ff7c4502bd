/*
 * Events benchmark: domain events published through the transactional outbox
 * and delivered by the relay, against the plain baseline of the same work
 * without events (one single-row INSERT per transaction), in the same run, on
 * whichever database DB_CONNECTION names (SQLite: a throw-away file in tmp/).
 *
 *   node --import=ts-node-maintained/register/esm bench/events.ts
 *
 * Tunables: BENCH_EVENTS (events per measurement, default 2000),
 * BENCH_AGGREGATES (distinct aggregates the events spread over, default 50).
 */
import 'reflect-metadata'
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ignitor } from '@adonisjs/core'
// @ts-expect-error plain JavaScript helper shared with `npm start`
import { ensureEnv } from '../bin/ensure-env.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const APP_ROOT = new URL('../', import.meta.url)
const COUNT = Number(process.env.BENCH_EVENTS ?? 2000)
const AGGREGATES = Number(process.env.BENCH_AGGREGATES ?? 50)

await ensureEnv(ROOT)
process.env.NODE_ENV = 'production'
process.env.LOG_LEVEL = 'warn'
process.env.EVENTS_RELAY_IN_WEB = 'false'
if ((process.env.DB_CONNECTION ?? 'sqlite') === 'sqlite') {
  process.env.SQLITE_PATH = `${ROOT}tmp/bench-events.sqlite3`
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(`${process.env.SQLITE_PATH}${suffix}`, { force: true })
}
const migrated = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], {
  cwd: ROOT,
  env: process.env,
  stdio: 'inherit',
})
if (migrated.status !== 0) throw new Error('migrations failed')

const app = new Ignitor(APP_ROOT, {
  importer: (filePath: string) =>
    filePath.startsWith('./') || filePath.startsWith('../')
      ? import(new URL(filePath, APP_ROOT).href)
      : import(filePath),
})
  .tap((application) => application.booting(async () => void (await import('#start/env'))))
  .createApp('console')
await app.init()
await app.boot()

const { default: db } = await import('@adonisjs/lucid/services/db')
const { events } = await import('#events/events')
const { EventRelay } = await import('#events/relay')

const TABLE = 'bench_event_rows'
await db.connection().schema.dropTableIfExists(TABLE)
await db.connection().schema.createTable(TABLE, (table) => {
  table.bigIncrements('id')
  table.string('reference', 64).notNullable()
  table.integer('amount').notNullable()
})

events.define({
  name: 'bench.row.created',
  version: 1,
  schema: {
    type: 'object',
    required: ['reference', 'amount'],
    properties: { reference: { type: 'string' }, amount: { type: 'integer' } },
  },
})
let delivered = 0
events.subscribe('bench.row.created', () => void delivered++, { name: 'bench.counter' })

async function timed(work: () => Promise<void>) {
  const started = performance.now()
  await work()
  return (performance.now() - started) / 1000
}

const insertRow = (trx: any, index: number) =>
  trx
    .insertQuery()
    .table(TABLE)
    .insert({ reference: `r-${index}`, amount: index })

// warm-up: connections, prepared paths, JIT
for (let index = 0; index < 50; index++) await db.transaction((trx) => insertRow(trx, index))

const baselineSeconds = await timed(async () => {
  for (let index = 0; index < COUNT; index++) {
    await db.transaction((trx) => insertRow(trx, index))
  }
})

const publishSeconds = await timed(async () => {
  for (let index = 0; index < COUNT; index++) {
    await db.transaction(async (trx) => {
      await insertRow(trx, index)
      await events.publish(
        {
          name: 'bench.row.created',
          tenantId: null,
          aggregate: { type: 'row', id: index % AGGREGATES },
          payload: { reference: `r-${index}`, amount: index },
        },
        trx
      )
    })
  }
})

const relay = new EventRelay({ batchSize: 200 })
const relaySeconds = await timed(async () => {
  while (delivered < COUNT) {
    const round = await relay.drain()
    if (round.claimed === 0) break
  }
})
if (delivered !== COUNT) throw new Error(`only ${delivered} of ${COUNT} events were delivered`)

const rate = (seconds: number) => Math.round(COUNT / seconds)
const baseline = rate(baselineSeconds)
const published = rate(publishSeconds)
const endToEnd = rate(publishSeconds + relaySeconds)
const relayed = rate(relaySeconds)
const database = db.connection().dialect.name

console.log(`events bench on ${database}: ${COUNT} events over ${AGGREGATES} aggregates`)
console.log(`  baseline  single-row INSERT per transaction   ${baseline} tx/s`)
console.log(
  `  publish   INSERT + outbox row per transaction ${published} tx/s  (${(published / baseline).toFixed(2)}x baseline)`
)
console.log(`  relay     outbox -> in-process subscriber     ${relayed} events/s`)
console.log(
  `  end to end published + delivered              ${endToEnd} events/s  (${(endToEnd / baseline).toFixed(2)}x baseline)`
)

await db.connection().schema.dropTableIfExists(TABLE)
await db.from('event_outbox').where('name', 'bench.row.created').delete()
await app.terminate()
