import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { defineJob, type JobContext } from '#jobs/define_job'
import { Jobs } from '#jobs/jobs'
import { redisQueueFromConfig } from '#jobs/configured_driver'
import type { RedisQueue } from '#jobs/redis_queue'
import { createTenant, jobName, sleep, waitFor } from '#tests/jobs_helpers'
import { unique } from '#tests/helpers'

/*
 * The Redis driver (BullMQ), on the real Redis. Each test uses its own key
 * prefix, so runs sharing the server never see each other's jobs; the
 * teardown deletes the test's keys.
 */
const opened: RedisQueue[] = []
function newQueue() {
  const registry = new Jobs()
  const queue = redisQueueFromConfig(app, registry, { prefix: `plinth-test-${unique()}` })
  registry.useDriver(queue)
  opened.push(queue)
  return { registry, queue }
}

test.group('Jobs: redis driver', (group) => {
  group.each.timeout(15_000)
  group.each.teardown(async () => {
    for (const queue of opened.splice(0)) {
      await queue.stopWorker()
      await queue.queue.obliterate({ force: true })
      await queue.close()
    }
  })

  test('a dispatched job runs by name in its tenant context with its payload', async ({
    assert,
  }) => {
    const { registry, queue } = newQueue()
    const tenant = await createTenant()
    const runs: { payload: unknown; ctx: JobContext }[] = []
    const job = registry.register(
      defineJob<{ n: number }>({
        name: jobName(),
        owner: 'kernel',
        handle: (payload, ctx) => void runs.push({ payload, ctx }),
      })
    )
    const id = await registry.dispatch(job, { n: 3 }, { tenantId: tenant.id })
    // stored under its stable name, not a file path
    const stored = await queue.queue.getJob(id)
    assert.equal(stored!.name, job.name)

    await queue.startWorker()
    await waitFor(() => runs.length === 1, 5000, 'the job to run')
    assert.deepEqual(runs[0].payload, { n: 3 })
    assert.deepEqual(runs[0].ctx, { tenantId: tenant.id, attempt: 1, jobId: id })
  })

  test('retries follow the backoff, the last failure is kept as the dead letter and can be retried', async ({
    assert,
  }) => {
    const { registry, queue } = newQueue()
    const tenant = await createTenant()
    const startedAt: number[] = []
    let healthy = false
    const job = registry.register(
      defineJob({
        name: jobName(),
        owner: 'kernel',
        attempts: 3,
        backoff: [150, 300],
        handle() {
          startedAt.push(Date.now())
          if (!healthy) throw new Error(`failure ${startedAt.length}`)
        },
      })
    )
    const id = await registry.dispatch(job, { x: 1 }, { tenantId: tenant.id })
    await queue.startWorker()
    await waitFor(async () => (await queue.queue.getJobState(id)) === 'failed', 5000, 'failed')
    assert.lengthOf(startedAt, 3)
    assert.isAtLeast(startedAt[1] - startedAt[0], 150)
    assert.isAtLeast(startedAt[2] - startedAt[1], 300)
    assert.isBelow(startedAt[2] - startedAt[1], 1500)

    const dead = await queue.deadLetters(tenant.id, 1, 10)
    assert.equal(dead.total, 1)
    assert.equal(dead.rows[0].id, id)
    assert.equal(dead.rows[0].attempts, 3)
    assert.include(dead.rows[0].lastError, 'failure 3')
    const other = await createTenant()
    assert.equal((await queue.deadLetters(other.id, 1, 10)).total, 0)
    assert.isFalse(await queue.retryDead(other.id, id))

    healthy = true
    assert.isTrue(await queue.retryDead(tenant.id, id))
    await waitFor(() => startedAt.length === 4, 5000, 'the retried run')
    await waitFor(async () => (await queue.deadLetters(tenant.id, 1, 10)).total === 0, 2000)
  })

  test('the gate skips a job of a disabled plugin for that tenant', async ({ assert }) => {
    const { registry, queue } = newQueue()
    const [enabled, disabled] = [await createTenant(), await createTenant()]
    const ran: (number | null)[] = []
    const job = registry.register(
      defineJob({
        name: jobName(),
        owner: 'crm',
        handle: (_payload, ctx) => void ran.push(ctx.tenantId),
      })
    )
    registry.setGate(({ owner, tenantId }) => !(owner === 'crm' && tenantId === disabled.id))
    await registry.dispatch(job, {}, { tenantId: disabled.id })
    await registry.dispatch(job, {}, { tenantId: enabled.id })
    await queue.startWorker({ concurrency: 1 })
    await waitFor(() => ran.length === 1, 5000, 'the enabled tenant job')
    await waitFor(async () => (await queue.queue.getJobCounts('wait', 'active')).wait === 0, 2000)
    await sleep(100)
    assert.deepEqual(ran, [enabled.id])
  })

  test('a seconds cron runs once per tick with two workers', async ({ assert }) => {
    const registry = new Jobs()
    const prefix = `plinth-test-${unique()}`
    const [first, second] = [
      redisQueueFromConfig(app, registry, { prefix }),
      redisQueueFromConfig(app, registry, { prefix }),
    ]
    opened.push(first, second)
    registry.useDriver(first)
    const ticks: string[] = []
    registry.schedule({
      key: `test.${unique()}.every-second`,
      cron: '* * * * * *',
      owner: 'kernel',
      job: defineJob({
        name: jobName('second'),
        owner: 'kernel',
        handle: (_payload, ctx) => void ticks.push(ctx.jobId),
      }),
    })
    await Promise.all([first.startWorker(), second.startWorker()])
    await sleep(2100)
    await Promise.all([first.stopWorker(), second.stopWorker()])
    assert.isAtLeast(ticks.length, 2)
    assert.isAtMost(ticks.length, 3)
    assert.lengthOf(new Set(ticks), ticks.length)
  })

  test('stopping the worker waits for the running job', async ({ assert }) => {
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
    await queue.startWorker()
    await waitFor(() => started, 5000, 'the job to start')
    await queue.stopWorker()
    assert.isTrue(finished)
    // completed jobs are removed; it is neither waiting nor failed
    assert.isUndefined(await queue.queue.getJob(id))
  })
})
