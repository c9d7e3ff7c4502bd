import { Job, Queue, Worker } from 'bullmq'
import type { ConnectionOptions, JobsOptions } from 'bullmq'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DEFAULT_BACKOFF_MS, retryDelay } from '#jobs/define_job'
import type { Jobs } from '#jobs/jobs'
import type { DeadJob, NewJob, QueueDriver, WorkerOptions } from '#jobs/queue_driver'

export const QUEUE_NAME = 'plinth'

export type RedisQueueOptions = {
  connection: ConnectionOptions
  prefix: string
  /* extra BullMQ options for every job (the config's `jobs`) */
  jobOptions?: JobsOptions
}

/* What a BullMQ job carries: the job's name is the stable job name, never a path. */
type JobData = { tenantId: number | null; owner: string; payload: unknown }

/* Backoff type resolved by the worker from the job definition's own policy. */
const BACKOFF_TYPE = 'plinth'

/*
 * The Redis driver (QUEUE_DRIVER=redis): BullMQ, configured by config/queue.ts.
 * Web processes only dispatch; workers (`node ace queue:listen`, any number,
 * on any machine) run the jobs with the same attempts and backoff as the
 * database driver. A job failing its last attempt stays in the failed set:
 * that is the dead letter, retried from the API.
 */
export class RedisQueue implements QueueDriver {
  readonly kind = 'redis' as const
  #jobs: Jobs
  #options: RedisQueueOptions
  #queue: Queue | null = null
  #worker: Worker | null = null
  #closed = false

  constructor(jobs: Jobs, options: RedisQueueOptions) {
    this.#jobs = jobs
    this.#options = options
  }

  get queue(): Queue {
    if (!this.#queue) {
      this.#queue = new Queue(QUEUE_NAME, {
        connection: this.#options.connection,
        prefix: this.#options.prefix,
      })
    }
    return this.#queue
  }

  async enqueue(job: NewJob, client?: TransactionClientContract): Promise<string> {
    const add = () =>
      this.queue.add(
        job.name,
        { tenantId: job.tenantId, owner: job.owner, payload: job.payload } satisfies JobData,
        {
          removeOnComplete: true,
          removeOnFail: false,
          ...this.#options.jobOptions,
          jobId: job.id,
          delay: job.delayMs || undefined,
          attempts: job.attempts,
          backoff: { type: BACKOFF_TYPE },
        }
      )
    if (client) {
      // Redis is not in the database transaction: publish only what commits
      client.after('commit', () =>
        add().then(
          () => {},
          (error) =>
            logger.error({ err: error, jobId: job.id }, 'jobs: enqueue after commit failed')
        )
      )
      return job.id
    }
    await add()
    return job.id
  }

  async startWorker(options: WorkerOptions = {}) {
    if (this.#worker || this.#closed) return
    await this.#syncSchedules()
    this.#worker = new Worker<JobData>(
      QUEUE_NAME,
      async (job) => {
        return this.#jobs.execute({
          id: job.id!,
          name: job.name,
          tenantId: job.data.tenantId,
          payload: job.data.payload,
          attempt: job.attemptsMade + 1,
        })
      },
      {
        connection: this.#options.connection,
        prefix: this.#options.prefix,
        concurrency: options.concurrency ?? 5,
        settings: {
          backoffStrategy: (attemptsMade, _type, _error, job) => {
            const definition = (job && this.#jobs.get(job.name)) || { backoff: DEFAULT_BACKOFF_MS }
            return retryDelay(definition, attemptsMade)
          },
        },
      }
    )
    this.#worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        logger.error({ job: job.name, jobId: job.id, err: error }, 'jobs: dead-lettered')
      }
    })
    this.#worker.on('error', (error) => logger.error({ err: error }, 'jobs: worker error'))
    await this.#worker.waitUntilReady()
  }

  /* Repeatable BullMQ jobs: upserting by key is idempotent, whatever the number of workers. */
  async #syncSchedules() {
    for (const schedule of this.#jobs.schedules()) {
      const definition = this.#jobs.get(schedule.jobName)
      await this.queue.upsertJobScheduler(
        schedule.key,
        { pattern: schedule.cron, tz: schedule.timezone ?? 'UTC' },
        {
          name: schedule.jobName,
          data: {
            tenantId: schedule.tenantId ?? null,
            owner: schedule.owner,
            payload: schedule.payload ?? null,
          } satisfies JobData,
          opts: {
            removeOnComplete: true,
            removeOnFail: false,
            attempts: definition?.attempts ?? 1,
            backoff: { type: BACKOFF_TYPE },
          },
        }
      )
    }
  }

  /* close() stops fetching and waits for the active jobs to finish; BullMQ shares one close per worker. */
  async stopWorker() {
    await this.#worker?.close()
    this.#worker = null
  }

  /* Final: a worker started after close (e.g. SIGTERM during boot) would never stop. */
  async close() {
    this.#closed = true
    await this.stopWorker()
    await this.#queue?.close()
    this.#queue = null
  }

  /* The failed set, newest first, filtered to one tenant (scans at most 5000 entries). */
  async deadLetters(tenantId: number, page: number, limit: number) {
    const candidates = await this.queue.getFailed(0, 4999)
    const failed = candidates.filter((job) => job && (job.data as JobData).tenantId === tenantId)
    const rows = failed.slice((page - 1) * limit, page * limit).map((job): DeadJob => ({
      id: job.id!,
      name: job.name,
      owner: (job.data as JobData).owner,
      tenantId: (job.data as JobData).tenantId,
      payload: (job.data as JobData).payload,
      attempts: job.attemptsMade,
      lastError: job.failedReason ?? null,
      failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
      createdAt: new Date(job.timestamp),
    }))
    return { rows, total: failed.length }
  }

  async retryDead(tenantId: number, id: string) {
    const job = await Job.fromId<JobData>(this.queue, id)
    if (!job || job.data.tenantId !== tenantId) return false
    if ((await job.getState()) !== 'failed') return false
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
    return true
  }
}
