import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Role from '#models/role'
import { defineJob, retryDelay, type JobContext } from '#jobs/define_job'
import { Jobs } from '#jobs/jobs'
import { DatabaseQueue } from '#jobs/database_queue'
import type { WorkerOptions } from '#jobs/queue_driver'
import { tenantContext } from '#tenancy/tenant_context'
import { createTenant, jobName, sleep, waitFor } from '#tests/jobs_helpers'
import { unique } from '#tests/helpers'

/*
 * The database (in-process) driver. Each test has its own registry with job
 * names nobody else uses, and its workers claim only those names, so other
 * tests' jobs in the shared table are never touched.
 */
const workers: DatabaseQueue[] = []
function newQueue(options: WorkerOptions = {}) {
  const registry = new Jobs()
  const queue = new DatabaseQueue(registry, options)
  registry.useDriver(queue)
  workers.push(queue)
  return { registry, queue }
}

const jobRow = (id: string) => db.from('queued_jobs').where('id', id).first()

test.group('Jobs: database driver', (group) => {
  group.each.timeout(15_000)
  group.each.teardown(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()))
  })

  test('backoff: exponential from a base, or an explicit list (last delay repeats)', ({
    assert,
  }) => {
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => retryDelay({ backoff: 100 }, attempt)),
      [100, 200, 400, 800]
    )
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => retryDelay({ backoff: [5, 50] }, attempt)),
      [5, 50, 50, 50]
    )
    assert.throws(() => defineJob({ name: 'No Dots', owner: 'kernel', handle() {} }), /dotted/)
    assert.throws(
      () => defineJob({ name: 'a.b', owner: 'kernel', attempts: 0, handle() {} }),
      /attempts/
    )
  })

  test('a dispatched job is stored, then run once by the worker with its payload', async ({
    assert,
  }) => {
    const { registry, queue } = newQueue()
    const runs: { payload: unknown; ctx: JobContext }[] = []
    const job = registry.register(
      defineJob<{ n: number }>({
        name: jobName(),
        owner: 'kernel',
        handle: (payload, ctx) => {
          runs.push({ payload, ctx })
        },
      })
    )
    const id = await registry.dispatch(job, { n: 7 }, { tenantId: null })
    const stored = await jobRow(id)
    assert.equal(stored.status, 'pending')
    assert.equal(stored.name, job.name)

    // an option passed as undefined (e.g. an unset CLI flag) keeps its default
    await queue.startWorker({ pollMs: 5000, concurrency: undefined })
    // the same-process wake-up runs it long before the next poll
    await waitFor(() => runs.length === 1, 2000, 'the job to run')
    assert.deepEqual(runs[0].payload, { n: 7 })
    assert.deepEqual(runs[0].ctx, { tenantId: null, attempt: 1, jobId: id })
    await waitFor(async () => !(await jobRow(id)), 2000, 'the finished job to be removed')
    await sleep(50)
    assert.lengthOf(runs, 1)
  })

  test('the handler runs in the job tenant context: scoped models see that tenant only', async ({
    assert,
  }) => {
    const { registry, queue } = newQueue()
    const [tenantA, tenantB] = [await createTenant(), await createTenant()]
    const keyA = `a_${unique()}`
    await tenantContext.run(tenantA.id, () =>
      Role.create({ key: keyA, name: 'A', isSystem: false, permissions: [] })
    )
    await tenantContext.run(tenantB.id, () =>
      Role.create({ key: `b_${unique()}`, name: 'B', isSystem: false, permissions: [] })
    )
    const seen: { tenantId: number | null; keys: string[] }[] = []
    const job = registry.register(
      defineJob({
        name: jobName(),
        owner: 'kernel',
        async handle(_payload, ctx) {
          const roles = await Role.query()
          seen.push({ tenantId: tenantContext.tenantId, keys: roles.map((role) => role.key) })
          assert.equal(ctx.tenantId, tenantA.id)
        },
      })
    )
    // the tenant defaults to the one in context at dispatch
    await tenantContext.run(tenantA.id, () => registry.dispatch(job, {}))
    assert.equal(await queue.drain(), 1)
    assert.lengthOf(seen, 1)
    assert.equal(seen[0].tenantId, tenantA.id)
    assert.deepEqual(seen[0].keys, [keyA])
  })

  test('a failing job is retried after its backoff, then succeeds', async ({ assert }) => {
    const { registry, queue } = newQueue()
    const startedAt: number[] = []
    const job = registry.register(
      defineJob({
        name: jobName(),
        owner: 'kernel',
        attempts: 3,
        backoff: [150, 300],
        handle() {
          startedAt.push(Date.now())
          if (startedAt.length < 3) throw new Error(`failure ${startedAt.length}`)
        },
      })
    )
    const id = await registry.dispatch(job, {})
    await queue.startWorker({ pollMs: 20 })
    await waitFor(() => startedAt.length === 3, 5000, 'three attempts')
    const firstGap = startedAt[1] - startedAt[0]
    const secondGap = startedAt[2] - startedAt[1]
    assert.isAtLeast(firstGap, 150)
    assert.isBelow(firstGap, 1000)
    assert.isAtLeast(secondGap, 300)
    assert.isBelow(secondGap, 1200)
    await waitFor(async () => !(await jobRow(id)), 2000, 'the job row to go')
  })

  test('after the last attempt the job is dead-lettered with its last error, and can be retried', async ({
    assert,
  }) => {
    const { registry, queue } = newQueue()
    const tenant = await createTenant()
    let failures = 0
    let healthy = false
    const job = registry.register(
      defineJob({
        name: jobName(),
        owner: 'kernel',
        attempts: 2,
        backoff: 10,
        handle() {
          if (healthy) return
          failures++
          throw new Error(`boom ${failures}`)
        },
      })
    )
    const id = await registry.dispatch(job, { x: 1 }, { tenantId: tenant.id })
    await queue.startWorker({ pollMs: 20 })
    await waitFor(async () => (await jobRow(id))?.status === 'dead', 3000, 'the dead letter')
    assert.equal(failures, 2)
    const dead = await jobRow(id)
    assert.equal(Number(dead.attempts), 2)
    assert.include(dead.last_error, 'boom 2')

    const listed = await queue.deadLetters(tenant.id, 1, 10)
    assert.equal(listed.total, 1)
    assert.equal(listed.rows[0].id, id)
    assert.deepEqual(listed.rows[0].payload, { x: 1 })
    const other = await createTenant()
    assert.equal((await queue.deadLetters(other.id, 1, 10)).total, 0)
    assert.isFalse(await queue.retryDead(other.id, id))

    healthy = true
    assert.isTrue(await queue.retryDead(tenant.id, id))
    await waitFor(async () => !(await jobRow(id)), 2000, 'the retried job to complete')
    assert.equal(failures, 2)
  })

  test('dispatch inside a transaction commits with it, or not at all', async ({ assert }) => {
    const { registry } = newQueue()
    const job = registry.register(defineJob({ name: jobName(), owner: 'kernel', handle() {} }))
    const trx = await db.transaction()
    const rolledBack = await registry.dispatch(job, {}, { client: trx, tenantId: null })
    await trx.rollback()
    assert.isNull(await jobRow(rolledBack))

    const committed = await db.transaction((client) =>
      registry.dispatch(job, {}, { client, tenantId: null })
    )
    assert.isNotNull(await jobRow(committed))
    // the same job id twice is one job
    await registry.dispatch(job, {}, { jobId: committed, tenantId: null })
    const [{ total }] = await db.from('queued_jobs').where('name', job.name).count('* as total')
    assert.equal(Number(total), 1)
    // ids and cron expressions both drivers accept, checked at the call
    await assert.rejects(() => registry.dispatch(job, {}, { jobId: 'a:b' }), /Job id/)
    await assert.rejects(() => registry.dispatch(job, {}, { jobId: '123' }), /Job id/)
    assert.throws(
      () => registry.schedule({ key: `k${unique()}`, cron: 'every day', job, owner: 'kernel' }),
      /Invalid cron/
    )
  })

  test('the gate skips a job (e.g. its plugin is disabled for that tenant)', async ({ assert }) => {
    const { registry, queue } = newQueue()
    const [enabled, disabled] = [await createTenant(), await createTenant()]
    const ran: (number | null)[] = []
    const job = registry.register(
      defineJob({
        name: jobName(),
        owner: 'crm',
        handle: (_payload, ctx) => {
          ran.push(ctx.tenantId)
        },
      })
    )
    const gateSaw: unknown[] = []
    registry.setGate((candidate) => {
      gateSaw.push(candidate)
      return !(candidate.owner === 'crm' && candidate.tenantId === disabled.id)
    })
    await registry.dispatch(job, {}, { tenantId: enabled.id })
    const skippedId = await registry.dispatch(job, {}, { tenantId: disabled.id })
    assert.equal(await queue.drain(), 2)
    assert.deepEqual(ran, [enabled.id])
    assert.deepInclude(gateSaw, { name: job.name, owner: 'crm', tenantId: disabled.id })
    assert.equal((await jobRow(skippedId)).status, 'skipped')
  })

  test('a job left running by a crashed worker runs again once its lease expires', async ({
    assert,
  }) => {
    const crashed = newQueue({ leaseMs: 150 })
    const survivor = new DatabaseQueue(crashed.registry)
    workers.push(survivor)
    const attempts: number[] = []
    const job = crashed.registry.register(
      defineJob({
        name: jobName(),
        owner: 'kernel',
        attempts: 3,
        handle: (_payload, ctx) => {
          attempts.push(ctx.attempt)
        },
      })
    )
    const id = await crashed.registry.dispatch(job, {}, { tenantId: null })
    // the first worker claims it with a short lease and dies before running it
    assert.lengthOf(await crashed.queue.claim(1), 1)
    assert.equal((await jobRow(id)).status, 'running')

    // while the lease holds, nobody else takes it
    assert.equal(await survivor.drain(), 0)
    await sleep(200)
    assert.equal(await survivor.drain(), 1)
    assert.deepEqual(attempts, [2])
    assert.isNull(await jobRow(id))
  })

  test('a job whose worker died during its last attempt is dead-lettered, not run again', async ({
    assert,
  }) => {
    const crashed = newQueue({ leaseMs: 50 })
    const survivor = new DatabaseQueue(crashed.registry)
    let runs = 0
    const job = crashed.registry.register(
      defineJob({ name: jobName(), owner: 'kernel', attempts: 1, handle: () => void runs++ })
    )
    const id = await crashed.registry.dispatch(job, {}, { tenantId: null })
    await crashed.queue.claim(1)
    await sleep(80)
    await survivor.drain()
    assert.equal(runs, 0)
    const row = await jobRow(id)
    assert.equal(row.status, 'dead')
    assert.include(row.last_error, 'lease expired')
  })

  test('a cron tick fires exactly once with two workers competing', async ({ assert }) => {
    const registry = new Jobs()
    const [first, second] = [new DatabaseQueue(registry), new DatabaseQueue(registry)]
    workers.push(first, second)
    registry.useDriver(first)
    const ticks: string[] = []
    const job = defineJob({
      name: jobName('tick'),
      owner: 'kernel',
      handle: (_payload, ctx) => {
        ticks.push(ctx.jobId)
      },
    })
    const key = `test.${unique()}.every-minute`
    registry.schedule({ key, cron: '* * * * *', job, owner: 'kernel' })

    // nothing is due yet: the first tick is the next minute
    assert.equal(await first.tickSchedules(), 0)
    for (let round = 1; round <= 3; round++) {
      // make a tick due (a different minute each round: a tick's job id is its time), then let both workers race for it
      await db
        .from('job_schedules')
        .where('key', key)
        .update({ next_run_at: Date.now() - round * 60_000 })
      const fired = await Promise.all([first.tickSchedules(), second.tickSchedules()])
      assert.equal(fired[0] + fired[1], 1, `round ${round}: ${fired}`)
    }
    await Promise.all([first.drain(), second.drain()])
    assert.lengthOf(ticks, 3)
    assert.lengthOf(new Set(ticks), 3)
    const schedule = await db.from('job_schedules').where('key', key).first()
    assert.isAbove(Number(schedule.next_run_at), Date.now())
  })

  test('a seconds cron runs once per tick while two workers poll it', async ({ assert }) => {
    const registry = new Jobs()
    const [first, second] = [new DatabaseQueue(registry), new DatabaseQueue(registry)]
    workers.push(first, second)
    registry.useDriver(first)
    const ranAt: number[] = []
    registry.schedule({
      key: `test.${unique()}.every-second`,
      cron: '* * * * * *',
      owner: 'kernel',
      job: defineJob({
        name: jobName('second'),
        owner: 'kernel',
        handle: () => void ranAt.push(Date.now()),
      }),
    })
    await Promise.all([first.startWorker({ pollMs: 25 }), second.startWorker({ pollMs: 25 })])
    await sleep(2100)
    await Promise.all([first.stopWorker(), second.stopWorker()])
    // ticks at 1 s intervals: two or three in 2.1 s, never two runs for one tick
    assert.isAtLeast(ranAt.length, 2)
    assert.isAtMost(ranAt.length, 3)
    for (let index = 1; index < ranAt.length; index++) {
      assert.isAbove(ranAt[index] - ranAt[index - 1], 500)
    }
  })

  test('stopping the worker waits for the running job and takes no new one', async ({ assert }) => {
    const { registry, queue } = newQueue()
    let started = false
    let finished = false
    const job = registry.register(
      defineJob({
        name: jobName(),
        owner: 'kernel',
        async handle() {
          started = true
          await sleep(300)
          finished = true
        },
      })
    )
    const id = await registry.dispatch(job, {}, { tenantId: null })
    await queue.startWorker({ pollMs: 20 })
    await waitFor(() => started, 2000, 'the job to start')
    const stoppedAt = Date.now()
    await queue.stopWorker()
    assert.isTrue(finished)
    assert.isAtLeast(Date.now() - stoppedAt, 200)
    assert.isNull(await jobRow(id))

    const later = await registry.dispatch(job, {}, { tenantId: null })
    await sleep(100)
    assert.equal((await jobRow(later)).status, 'pending')
  })
})
