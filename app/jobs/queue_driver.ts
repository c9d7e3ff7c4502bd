import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/* A job as a driver stores it: the handler is found again by name in whichever process runs it. */
export type NewJob = {
  id: string
  name: string
  owner: string
  tenantId: number | null
  payload: unknown
  delayMs: number
  attempts: number
}

export type WorkerOptions = {
  /* jobs run at the same time by this worker (default 5) */
  concurrency?: number
  /* database driver: how often to look for due jobs and schedules, in ms (default 1000) */
  pollMs?: number
  /* database driver: a running job whose worker stops renewing its lease for this long is run again (default 60 s) */
  leaseMs?: number
}

/* A job that failed its last attempt and waits for someone to look at it. */
export type DeadJob = {
  id: string
  name: string
  owner: string
  tenantId: number | null
  payload: unknown
  attempts: number
  lastError: string | null
  failedAt: Date | null
  createdAt: Date | null
}

/* One dispatch API, two stores: the database (in-process worker) and Redis (BullMQ). */
export interface QueueDriver {
  readonly kind: 'database' | 'redis'
  enqueue(job: NewJob, client?: TransactionClientContract): Promise<string>
  startWorker(options?: WorkerOptions): Promise<void>
  /* stop taking jobs, wait for the running ones to finish */
  stopWorker(): Promise<void>
  /* stop the worker and release connections */
  close(): Promise<void>
  deadLetters(
    tenantId: number,
    page: number,
    limit: number
  ): Promise<{ rows: DeadJob[]; total: number }>
  /* puts a dead job back in the queue for a fresh set of attempts; false when not found */
  retryDead(tenantId: number, id: string): Promise<boolean>
}
