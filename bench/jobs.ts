/*
 * Jobs throughput: no-op jobs through each driver (database queue, BullMQ on
 * Redis), against two baselines measured in the same run on the same
 * database: plain awaited function calls, and plain single-row INSERTs (the
 * least a durable dispatch can cost).
 *   node --import=ts-node-maintained/register/esm bench/jobs.ts
 * Database: DB_CONNECTION (SQLite by default, a throw-away file in tmp/);
 * Redis: REDIS_HOST/REDIS_PORT (the Redis run is skipped when Redis is down).
 * Tunables: BENCH_JOBS (per measurement, default 2000), BENCH_CONCURRENCY
 * (worker concurrency, default 10).
 */
import 'reflect-metadata'
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { Ignitor } from '@adonisjs/core'
// @ts-expect-error plain JavaScript helper shared with `npm start`
import { ensureEnv } from '../bin/ensure-env.js'

const ROOT_URL = new URL('../', import.meta.url)
const ROOT = fileURLToPath(ROOT_URL)
const JOBS = Number(process.env.BENCH_JOBS ?? 2000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10)

ensureEnv()
process.env.NODE_ENV = 'production'
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn'
const sqlite = (process.env.DB_CONNECTION ?? 'sqlite') === 'sqlite'
if (sqlite) {
  process.env.SQLITE_PATH = `${ROOT}tmp/bench-jobs.sqlite3`
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(`${process.env.SQLITE_PATH}${suffix}`, { force: true })
}

const migrated = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], {
  cwd: ROOT,
  env: process.env,
  encoding: 'utf8',
})
if (migrated.status !== 0)
  throw new Error(`migrations failed:\n${migrated.stdout}${migrated.stderr}`)

const app = new Ignitor(ROOT_URL, {
  importer: (path) => import(path.startsWith('.') ? new URL(path, ROOT_URL).href : path),
}).createApp('console')
app.booting(async () => {
  await import('#start/env')
})
await app.init()
await app.boot()
await app.start(async () => {})

const { default: db } = await import('@adonisjs/lucid/services/db')
const { Jobs } = await import('#jobs/jobs')
const { defineJob } = await import('#jobs/define_job')
const { DatabaseQueue } = await import('#jobs/database_queue')
const { redisQueueFromConfig } = await import('#jobs/configured_driver')
type QueueDriver = import('#jobs/queue_driver').QueueDriver

type Figure = { name: string; perSecond: number; note: string }
const figures: Figure[] = []

async function time(run: () => Promise<void>) {
  const started = process.hrtime.bigint()
  await run()
  return Number(process.hrtime.bigint() - started) / 1e9
}

function record(name: string, seconds: number, note: string) {
  figures.push({ name, perSecond: JOBS / seconds, note })
}

/* Baseline 1: the handler called directly. */
let calls = 0
const noop = async () => {
  calls++
}
record(
  'function calls',
  await time(async () => {
    for (let index = 0; index < JOBS; index++) await noop()
  }),
  'await noop() in a loop'
)

/* Baseline 2: one awaited single-row INSERT per job, into a scratch table. */
await db.rawQuery('DROP TABLE IF EXISTS bench_job_rows')
await db.rawQuery('CREATE TABLE bench_job_rows (id varchar(64) primary key, payload text not null)')
record(
  'single-row INSERTs',
  await time(async () => {
    for (let index = 0; index < JOBS; index++) {
      await db.table('bench_job_rows').insert({ id: randomUUID(), payload: '{}' })
    }
  }),
  'awaited one after another'
)
await db.rawQuery('DROP TABLE bench_job_rows')

/* A driver: dispatch every job (awaited, one after another), then let a worker run them all. */
async function measure(
  label: string,
  makeDriver: (registry: InstanceType<typeof Jobs>) => QueueDriver,
  cleanup: (driver: QueueDriver) => Promise<void>
) {
  const registry = new Jobs()
  const driver = makeDriver(registry)
  registry.useDriver(driver)
  let done = 0
  let allDone: () => void = () => {}
  const finished = new Promise<void>((resolve) => (allDone = resolve))
  const job = registry.register(
    defineJob({
      name: 'bench.jobs.noop',
      owner: 'kernel',
      handle: () => {
        if (++done === JOBS) allDone()
      },
    })
  )
  const dispatchSeconds = await time(async () => {
    for (let index = 0; index < JOBS; index++)
      await registry.dispatch(job, { index }, { tenantId: null })
  })
  const runSeconds = await time(async () => {
    await driver.startWorker({ concurrency: CONCURRENCY, pollMs: 50 })
    await finished
  })
  await driver.stopWorker()
  await cleanup(driver)
  record(`${label}: dispatch`, dispatchSeconds, 'awaited one after another')
  record(`${label}: run`, runSeconds, `one worker, concurrency ${CONCURRENCY}`)
  record(`${label}: end to end`, dispatchSeconds + runSeconds, 'dispatch + run')
}

await measure(
  `database queue (${sqlite ? 'SQLite' : 'PostgreSQL'})`,
  (registry) => new DatabaseQueue(registry),
  async () => {}
)

const redisUp = await new Promise<boolean>(async (resolve) => {
  const { createConnection } = await import('node:net')
  const socket = createConnection(
    Number(process.env.REDIS_PORT ?? 6379),
    process.env.REDIS_HOST ?? '127.0.0.1'
  )
  socket.once('connect', () => (socket.end(), resolve(true)))
  socket.once('error', () => resolve(false))
})
if (redisUp) {
  await measure(
    'BullMQ (Redis)',
    (registry) => redisQueueFromConfig(app, registry, { prefix: `plinth-bench-${process.pid}` }),
    async (driver) => {
      const redis = driver as import('#jobs/redis_queue').RedisQueue
      await redis.queue.obliterate({ force: true })
      await redis.close()
    }
  )
} else {
  console.log('Redis is not reachable: the BullMQ figures are skipped')
}

const perCall = figures[0].perSecond
const perInsert = figures[1].perSecond
console.log(`\njobs/s, ${JOBS} no-op jobs per measurement (calls made: ${calls})\n`)
console.log(
  `${'measurement'.padEnd(44)}${'per second'.padStart(14)}${'vs INSERT'.padStart(12)}${'vs call'.padStart(12)}  note`
)
for (const figure of figures) {
  console.log(
    `${figure.name.padEnd(44)}${figure.perSecond.toFixed(0).padStart(14)}${`${(figure.perSecond / perInsert).toFixed(2)}x`.padStart(12)}${`${(figure.perSecond / perCall).toFixed(5)}x`.padStart(12)}  ${figure.note}`
  )
}

await app.terminate()
if (sqlite)
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(`${process.env.SQLITE_PATH}${suffix}`, { force: true })
