import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/*
 * A background job: a stable name (how it is stored, dispatched and looked up
 * by every worker, whatever the checkout path or build), the plugin (or the
 * kernel) that owns it, its retry policy and its handler.
 */
export type JobContext = {
  /* the tenant the job runs for; the handler runs inside tenantContext.run(tenantId) */
  tenantId: number | null
  /* 1 on the first run, 2 on the first retry, ... */
  attempt: number
  jobId: string
}

/* Exponential base delay in ms (delay n = base * 2^(n-1)), or an explicit list of delays in ms. */
export type Backoff = number | number[]

export type JobDefinition<P = any> = {
  name: string
  owner: 'kernel' | (string & {})
  /* runs in total, first run included (default 3) */
  attempts: number
  backoff: Backoff
  handle(payload: P, ctx: JobContext): unknown | Promise<unknown>
}

export type JobDefinitionInput<P> = {
  name: string
  owner: 'kernel' | (string & {})
  attempts?: number
  backoff?: Backoff
  handle(payload: P, ctx: JobContext): unknown | Promise<unknown>
}

export const DEFAULT_ATTEMPTS = 3
export const DEFAULT_BACKOFF_MS = 1000

const JOB_NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/

export function defineJob<P = unknown>(input: JobDefinitionInput<P>): JobDefinition<P> {
  if (!JOB_NAME.test(input.name)) {
    throw new Error(`Job name "${input.name}" must be dotted lower-case, e.g. "webhooks.deliver"`)
  }
  const attempts = input.attempts ?? DEFAULT_ATTEMPTS
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new Error(`Job "${input.name}": attempts must be a positive integer`)
  }
  const backoff = input.backoff ?? DEFAULT_BACKOFF_MS
  const delays = Array.isArray(backoff) ? backoff : [backoff]
  if (delays.length === 0 || delays.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    throw new Error(`Job "${input.name}": backoff must be a delay in ms or a non-empty list`)
  }
  return { name: input.name, owner: input.owner, attempts, backoff, handle: input.handle }
}

/* Delay before the run that follows failed attempt number `attempt` (1-based). */
export function retryDelay(definition: Pick<JobDefinition, 'backoff'>, attempt: number): number {
  const { backoff } = definition
  if (Array.isArray(backoff)) return backoff[Math.min(attempt, backoff.length) - 1]
  return backoff * 2 ** (attempt - 1)
}

export type DispatchOptions = {
  /* the tenant the job runs for (default: the tenant in the current context) */
  tenantId?: number | null
  delayMs?: number
  /* a stable id makes dispatch idempotent: a second dispatch with the same id is ignored */
  jobId?: string
  /* database driver only: enqueue in the caller's transaction, so the job commits with the change */
  client?: TransactionClientContract
}

export type ScheduleDefinition = {
  /* unique and stable, e.g. 'kernel.jobs.purge' or 'crm.reminders.daily' */
  key: string
  cron: string
  job: JobDefinition | string
  payload?: unknown
  tenantId?: number | null
  owner: 'kernel' | (string & {})
  /* IANA time zone the cron expression is read in (default UTC) */
  timezone?: string
}

/* What the gate sees of a job about to run. */
export type GatedJob = { name: string; owner: string; tenantId: number | null }

/* Returns false to skip the job (e.g. its plugin is disabled for that tenant). */
export type JobGate = (job: GatedJob) => boolean | Promise<boolean>
