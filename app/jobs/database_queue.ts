import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DEFAULT_BACKOFF_MS, retryDelay } from '#jobs/define_job'
import { nextCronTime } from '#jobs/cron'
import type { Jobs, RegisteredSchedule } from '#jobs/jobs'
import type { DeadJob, NewJob, QueueDriver, WorkerOptions } from '#jobs/queue_driver'

const JOBS = 'queued_jobs'
const SCHEDULES = 'job_schedules'

type ClaimedRow = {
  id: string
  name: string
  tenant_id: number | string | null
  payload: string
  attempts: number | string
  max_attempts: number | string
}

/* Options given override the defaults; an option passed as undefined keeps its default. */
function withDefaults(
  options: WorkerOptions,
  defaults: Required<WorkerOptions>
): Required<WorkerOptions> {
  const merged = { ...defaults }
  for (const [key, value] of Object.entries(options) as [keyof WorkerOptions, number][]) {
    if (value !== undefined) merged[key] = value
  }
  return merged
}

/* Errors kept on a job row: enough to diagnose, bounded in size. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
  return text.slice(0, 4000)
}

/*
 * The in-process driver, durable: a dispatched job is a row in `queued_jobs`
 * before dispatch returns. Any number of processes can run workers on the
 * same database: they claim due rows atomically (FOR UPDATE SKIP LOCKED on
 * PostgreSQL, SQLite's single writer otherwise), hold a lease they renew while
 * the job runs, and a job whose lease lapsed (its worker died) is claimed again.
 */
export class DatabaseQueue implements QueueDriver {
  readonly kind = 'database' as const
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`

  #jobs: Jobs
  #connection?: string
  #running = false
  #loop: Promise<void> | null = null
  #stopping: Promise<void> | null = null
  #closed = false
  #active = new Set<Promise<void>>()
  #wake: (() => void) | null = null
  #wakeRequested = false
  #leaseTimer: NodeJS.Timeout | null = null
  #syncedSchedules = new Map<string, string>()
  #lastScheduleTick = 0
  #options: Required<WorkerOptions> = { concurrency: 5, pollMs: 1000, leaseMs: 60_000 }

  constructor(jobs: Jobs, options: { connection?: string } & WorkerOptions = {}) {
    const { connection, ...workerOptions } = options
    this.#jobs = jobs
    this.#connection = connection
    this.#options = withDefaults(workerOptions, this.#options)
  }

  get #db(): QueryClientContract {
    return db.connection(this.#connection)
  }

  get #isPostgres() {
    return this.#db.dialect.name === 'postgres'
  }

  async enqueue(job: NewJob, client?: TransactionClientContract): Promise<string> {
    const now = Date.now()
    await (client ?? this.#db)
      .knexQuery()
      .table(JOBS)
      .insert({
        id: job.id,
        name: job.name,
        owner: job.owner,
        tenant_id: job.tenantId,
        payload: JSON.stringify(job.payload ?? null),
        status: 'pending',
        attempts: 0,
        max_attempts: job.attempts,
        run_at: now + job.delayMs,
        created_at: now,
      })
      .onConflict('id')
      .ignore()
    // a worker in this process picks it up now rather than at the next poll
    if (client) client.after('commit', () => this.wake())
    else this.wake()
    return job.id
  }

  wake() {
    this.#wakeRequested = true
    this.#wake?.()
  }

  get isRunning() {
    return this.#running
  }

  async startWorker(options: WorkerOptions = {}) {
    if (this.#running || this.#closed) return
    await this.#stopping
    this.#stopping = null
    this.#options = withDefaults(options, this.#options)
    this.#running = true
    this.#leaseTimer = setInterval(
      () =>
        this.#renewLeases().catch((error) =>
          logger.error({ err: error }, 'jobs: lease renewal failed')
        ),
      Math.max(50, Math.floor(this.#options.leaseMs / 3))
    )
    this.#loop = this.#runLoop()
  }

  /* Stops taking jobs and resolves once the running ones finished; every caller waits for the same stop. */
  stopWorker(): Promise<void> {
    if (!this.#running) return this.#stopping ?? Promise.resolve()
    this.#running = false
    this.wake()
    this.#stopping = (async () => {
      await this.#loop
      await Promise.all(this.#active)
      if (this.#leaseTimer) clearInterval(this.#leaseTimer)
      this.#leaseTimer = null
      this.#loop = null
    })()
    return this.#stopping
  }

  /* Final: a worker started after close (e.g. SIGTERM during boot) would never stop. */
  async close() {
    this.#closed = true
    await this.stopWorker()
  }

  /*
   * Runs every job due now (and every due schedule tick) to completion, then
   * returns how many ran. For tests and one-shot commands; no loop needed.
   */
  async drain(options: { max?: number } = {}): Promise<number> {
    let ran = 0
    const max = options.max ?? 1000
    await this.tickSchedules()
    while (ran < max) {
      const claimed = await this.claim(Math.min(this.#options.concurrency, max - ran))
      if (claimed.length === 0) break
      await Promise.all(claimed.map((row) => this.#run(row)))
      ran += claimed.length
    }
    return ran
  }

  async #runLoop() {
    while (this.#running) {
      this.#wakeRequested = false
      let claimedAll = false
      try {
        if (Date.now() - this.#lastScheduleTick >= Math.min(this.#options.pollMs, 1000)) {
          this.#lastScheduleTick = Date.now()
          await this.tickSchedules()
        }
        const free = this.#options.concurrency - this.#active.size
        if (free > 0) {
          const claimed = await this.claim(free)
          for (const row of claimed) this.#track(this.#run(row))
          claimedAll = claimed.length === free
        }
      } catch (error) {
        logger.error({ err: error }, 'jobs: worker loop failed; retrying after the poll interval')
      }
      if (!this.#running) break
      // more may be due right away; otherwise wait for a dispatch, a free slot or the poll
      if (claimedAll && this.#active.size < this.#options.concurrency) continue
      if (!this.#wakeRequested) await this.#sleep(this.#options.pollMs)
    }
  }

  #sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      const self = this
      function done() {
        clearTimeout(timer)
        self.#wake = null
        resolve()
      }
      this.#wake = done
    })
  }

  #track(run: Promise<void>) {
    const tracked = run.finally(() => {
      this.#active.delete(tracked)
      this.wake()
    })
    this.#active.add(tracked)
  }

  /* Atomically takes up to `limit` due jobs (or jobs whose worker's lease lapsed) for this worker. */
  async claim(limit: number): Promise<ClaimedRow[]> {
    // only jobs this process can run: during a rolling deploy, new job types wait for new workers
    const names = this.#jobs.names()
    if (names.length === 0) return []
    const now = Date.now()
    const lockUntil = now + this.#options.leaseMs
    const skipLocked = this.#isPostgres ? 'FOR UPDATE SKIP LOCKED' : ''
    const result = await this.#db.rawQuery(
      `UPDATE ${JOBS} SET status = 'running', attempts = attempts + 1, locked_until = ?, locked_by = ?
       WHERE id IN (
         SELECT id FROM ${JOBS}
         WHERE ((status = 'pending' AND run_at <= ?) OR (status = 'running' AND locked_until < ?))
           AND name IN (${names.map(() => '?').join(', ')})
         ORDER BY run_at LIMIT ? ${skipLocked}
       )
       RETURNING id, name, tenant_id, payload, attempts, max_attempts`,
      [lockUntil, this.workerId, now, now, ...names, limit]
    )
    return (Array.isArray(result) ? result : result.rows) as ClaimedRow[]
  }

  async #run(row: ClaimedRow) {
    const attempt = Number(row.attempts)
    const maxAttempts = Number(row.max_attempts)
    const mine = () =>
      this.#db
        .knexQuery()
        .table(JOBS)
        .where('id', row.id)
        .where('locked_by', this.workerId)
        .where('status', 'running')
    const release = { locked_until: null, locked_by: null }
    if (attempt > maxAttempts) {
      // its worker died during the last attempt
      await mine().update({
        ...release,
        status: 'dead',
        attempts: maxAttempts,
        last_error:
          'The worker running the last attempt stopped before it finished (lease expired)',
        finished_at: Date.now(),
      })
      return
    }
    try {
      const outcome = await this.#jobs.execute({
        id: row.id,
        name: row.name,
        tenantId: row.tenant_id === null ? null : Number(row.tenant_id),
        payload: JSON.parse(row.payload),
        attempt,
      })
      if (outcome === 'done') await mine().delete()
      else await mine().update({ ...release, status: 'skipped', finished_at: Date.now() })
    } catch (error) {
      const lastError = describeError(error)
      try {
        if (attempt >= maxAttempts) {
          logger.error({ job: row.name, jobId: row.id, err: error }, 'jobs: dead-lettered')
          await mine().update({
            ...release,
            status: 'dead',
            last_error: lastError,
            finished_at: Date.now(),
          })
        } else {
          const definition = this.#jobs.get(row.name) ?? { backoff: DEFAULT_BACKOFF_MS }
          await mine().update({
            ...release,
            status: 'pending',
            last_error: lastError,
            run_at: Date.now() + retryDelay(definition, attempt),
          })
        }
      } catch (storeError) {
        // the lease lapses and another claim retries it: nothing is lost
        logger.error({ err: storeError, jobId: row.id }, 'jobs: could not record a failure')
      }
    }
  }

  async #renewLeases() {
    if (this.#active.size === 0) return
    await this.#db
      .knexQuery()
      .table(JOBS)
      .where('locked_by', this.workerId)
      .where('status', 'running')
      .update({ locked_until: Date.now() + this.#options.leaseMs })
  }

  /* Stores (or updates) the schedules this process declares. Existing ticks are kept. */
  async #syncSchedules(schedules: RegisteredSchedule[]) {
    for (const schedule of schedules) {
      const signature = `${schedule.cron}|${schedule.timezone ?? ''}`
      if (this.#syncedSchedules.get(schedule.key) === signature) continue
      const now = Date.now()
      const row = await this.#db.from(SCHEDULES).where('key', schedule.key).first()
      const next = nextCronTime(schedule.cron, now, schedule.timezone)
      if (!row) {
        await this.#db
          .knexQuery()
          .table(SCHEDULES)
          .insert({
            key: schedule.key,
            cron: schedule.cron,
            timezone: schedule.timezone ?? null,
            next_run_at: next,
            updated_at: now,
          })
          .onConflict('key')
          .ignore()
      } else if (row.cron !== schedule.cron || (row.timezone ?? '') !== (schedule.timezone ?? '')) {
        await this.#db
          .knexQuery()
          .table(SCHEDULES)
          .where('key', schedule.key)
          .update({
            cron: schedule.cron,
            timezone: schedule.timezone ?? null,
            next_run_at: next,
            updated_at: now,
          })
      }
      this.#syncedSchedules.set(schedule.key, signature)
    }
  }

  /*
   * Fires the due ticks of this process's schedules. Each tick is won by the one
   * worker whose conditional UPDATE moves next_run_at on; the job id is derived
   * from the tick, so even a double win could not enqueue it twice.
   */
  async tickSchedules(): Promise<number> {
    const schedules = this.#jobs.schedules()
    if (schedules.length === 0) return 0
    await this.#syncSchedules(schedules)
    const byKey = new Map(schedules.map((schedule) => [schedule.key, schedule]))
    const now = Date.now()
    const due = await this.#db
      .from(SCHEDULES)
      .whereIn('key', [...byKey.keys()])
      .where('next_run_at', '<=', now)
    let fired = 0
    for (const row of due) {
      const schedule = byKey.get(row.key)!
      const tick = Number(row.next_run_at)
      const next = nextCronTime(schedule.cron, now, schedule.timezone)
      const won = await this.#db.transaction(async (trx) => {
        const updated = await trx
          .knexQuery()
          .table(SCHEDULES)
          .where('key', row.key)
          .where('next_run_at', row.next_run_at)
          .update({ next_run_at: next, last_run_at: now, updated_at: now })
        if (Number(updated) !== 1) return false
        const definition = this.#jobs.get(schedule.jobName)
        await this.enqueue(
          {
            id: `schedule-${schedule.key.replace(/[^A-Za-z0-9._-]/g, '_')}-${tick}`.slice(-191),
            name: schedule.jobName,
            owner: schedule.owner,
            tenantId: schedule.tenantId ?? null,
            payload: schedule.payload ?? null,
            delayMs: 0,
            attempts: definition?.attempts ?? 1,
          },
          trx
        )
        return true
      })
      if (won) fired++
    }
    return fired
  }

  async deadLetters(tenantId: number, page: number, limit: number) {
    const base = () => this.#db.from(JOBS).where('tenant_id', tenantId).where('status', 'dead')
    const [{ total }] = await base().count('* as total')
    const rows = await base()
      .orderBy('finished_at', 'desc')
      .orderBy('id', 'asc')
      .offset((page - 1) * limit)
      .limit(limit)
    return {
      total: Number(total),
      rows: rows.map((row): DeadJob => ({
        id: row.id,
        name: row.name,
        owner: row.owner,
        tenantId: row.tenant_id === null ? null : Number(row.tenant_id),
        payload: JSON.parse(row.payload),
        attempts: Number(row.attempts),
        lastError: row.last_error,
        failedAt: row.finished_at ? new Date(Number(row.finished_at)) : null,
        createdAt: new Date(Number(row.created_at)),
      })),
    }
  }

  async retryDead(tenantId: number, id: string) {
    const updated = await this.#db
      .knexQuery()
      .table(JOBS)
      .where('id', id)
      .where('tenant_id', tenantId)
      .where('status', 'dead')
      .update({ status: 'pending', attempts: 0, run_at: Date.now(), finished_at: null })
    if (Number(updated) === 1) this.wake()
    return Number(updated) === 1
  }
}
