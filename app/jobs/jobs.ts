import { randomUUID } from 'node:crypto'
import env from '#start/env'
import { tenantContext } from '#tenancy/tenant_context'
import type {
  DispatchOptions,
  JobContext,
  JobDefinition,
  JobGate,
  ScheduleDefinition,
} from '#jobs/define_job'
import type { QueueDriver, WorkerOptions } from '#jobs/queue_driver'
import { assertCron } from '#jobs/cron'

export type RegisteredSchedule = Omit<ScheduleDefinition, 'job'> & { jobName: string }

/* What a worker knows about the job it is about to run. */
export type JobRun = {
  id: string
  name: string
  tenantId: number | null
  payload: unknown
  attempt: number
}

export class UnknownJobError extends Error {
  constructor(name: string) {
    super(`No job named "${name}" is registered in this process`)
  }
}

/*
 * The jobs service: a registry of job definitions by name, the schedules, the
 * gate, and the driver jobs are dispatched to. Every process registers the
 * same definitions at boot; workers resolve handlers by name from here.
 */
export class Jobs {
  #definitions = new Map<string, JobDefinition>()
  #schedules = new Map<string, RegisteredSchedule>()
  #gate: JobGate = () => true
  #driver: QueueDriver | null = null

  register(definition: JobDefinition) {
    const existing = this.#definitions.get(definition.name)
    if (existing && existing !== definition && existing.owner !== definition.owner) {
      throw new Error(
        `Job "${definition.name}" from ${definition.owner} is already registered by ${existing.owner}`
      )
    }
    this.#definitions.set(definition.name, definition)
    return definition
  }

  get(name: string): JobDefinition | undefined {
    return this.#definitions.get(name)
  }

  names(): string[] {
    return [...this.#definitions.keys()]
  }

  /* Stores the job (durably) and returns its id; a worker runs it later, with retries. */
  async dispatch<P>(
    job: JobDefinition<P> | string,
    payload: P,
    options: DispatchOptions = {}
  ): Promise<string> {
    const definition = this.#resolve(job)
    if (options.jobId !== undefined && !isValidJobId(options.jobId)) {
      throw new Error(
        `Job id "${options.jobId}" must be 1-191 letters, digits, ".", "_" or "-", and not a number`
      )
    }
    const tenantId = options.tenantId !== undefined ? options.tenantId : tenantContext.tenantId
    return this.driver.enqueue(
      {
        id: options.jobId ?? randomUUID(),
        name: definition.name,
        owner: definition.owner,
        tenantId,
        payload: payload ?? null,
        delayMs: Math.max(0, options.delayMs ?? 0),
        attempts: definition.attempts,
      },
      options.client
    )
  }

  /* Declares a cron schedule; workers fire it once per tick, whatever their number. */
  schedule(schedule: ScheduleDefinition) {
    assertCron(schedule.cron, schedule.timezone)
    const definition = typeof schedule.job === 'string' ? null : schedule.job
    if (definition) this.register(definition)
    const jobName = typeof schedule.job === 'string' ? schedule.job : schedule.job.name
    this.#schedules.set(schedule.key, {
      key: schedule.key,
      cron: schedule.cron,
      payload: schedule.payload ?? null,
      tenantId: schedule.tenantId ?? null,
      owner: schedule.owner,
      timezone: schedule.timezone,
      jobName,
    })
  }

  unschedule(key: string) {
    this.#schedules.delete(key)
  }

  schedules(): RegisteredSchedule[] {
    return [...this.#schedules.values()]
  }

  /* The plugin system installs a gate so a disabled plugin's jobs do not run for that tenant. */
  setGate(gate: JobGate) {
    this.#gate = gate
  }

  get driver(): QueueDriver {
    if (!this.#driver)
      throw new Error('jobs: no queue driver configured (the jobs provider sets it)')
    return this.#driver
  }

  get hasDriver() {
    return this.#driver !== null
  }

  /* Swaps the driver (boot, tests, benchmarks) and returns the previous one. */
  useDriver(driver: QueueDriver): QueueDriver | null {
    const previous = this.#driver
    this.#driver = driver
    return previous
  }

  startWorker(options?: WorkerOptions) {
    return this.driver.startWorker(options)
  }

  stopWorker() {
    return this.#driver ? this.#driver.stopWorker() : Promise.resolve()
  }

  /*
   * Runs one job the way every driver does: unknown names fail (and are retried,
   * a worker of a newer build may know them), the gate may skip it, the handler
   * runs in the job's tenant context. Returns 'skipped' when the gate said no.
   */
  async execute(run: JobRun): Promise<'done' | 'skipped'> {
    const definition = this.#definitions.get(run.name)
    if (!definition) throw new UnknownJobError(run.name)
    const allowed = await this.#gate({
      name: definition.name,
      owner: definition.owner,
      tenantId: run.tenantId,
    })
    if (!allowed) return 'skipped'
    const ctx: JobContext = { tenantId: run.tenantId, attempt: run.attempt, jobId: run.id }
    if (run.tenantId === null) await definition.handle(run.payload, ctx)
    else await tenantContext.run(run.tenantId, () => definition.handle(run.payload, ctx))
    return 'done'
  }

  #resolve(job: JobDefinition | string): JobDefinition {
    if (typeof job !== 'string') return this.#definitions.get(job.name) ?? this.register(job)
    const definition = this.#definitions.get(job)
    if (!definition) throw new UnknownJobError(job)
    return definition
  }
}

/* Ids both drivers accept (BullMQ refuses integer-like ids and ":"). */
export function isValidJobId(id: string) {
  return /^[A-Za-z0-9._-]{1,191}$/.test(id) && !/^\d+$/.test(id)
}

/* The driver the environment asks for: QUEUE_DRIVER=redis → BullMQ, otherwise the database. */
export function configuredDriverKind(): 'database' | 'redis' {
  return env.get('QUEUE_DRIVER') === 'redis' ? 'redis' : 'database'
}

export const jobs = new Jobs()
