import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { defineJob } from '#jobs/define_job'
import { Jobs, jobs } from '#jobs/jobs'
import { DatabaseQueue } from '#jobs/database_queue'
import { redisQueueFromConfig } from '#jobs/configured_driver'
import { probeJob } from '#jobs/kernel_jobs'
import type { QueueDriver } from '#jobs/queue_driver'
import type { RedisQueue } from '#jobs/redis_queue'
import { login, signup, unique } from '#tests/helpers'
import { jobName, waitFor } from '#tests/jobs_helpers'

/*
 * The API reads the configured driver (database on the SQLite run, Redis on
 * the PostgreSQL run). On Redis the test swaps in a driver with its own key
 * prefix, so no other run's jobs are involved; a worker with its own registry
 * runs the test's job.
 */
async function workerFor(local: Jobs) {
  if (jobs.driver.kind === 'database') {
    const worker = new DatabaseQueue(local, { pollMs: 20 })
    local.useDriver(worker)
    return { worker, cleanup: () => worker.close() }
  }
  const prefix = `plinth-test-${unique()}`
  const api = redisQueueFromConfig(app, jobs, { prefix })
  const previous = jobs.useDriver(api) as QueueDriver
  const worker: RedisQueue = redisQueueFromConfig(app, local, { prefix })
  local.useDriver(worker)
  return {
    worker,
    cleanup: async () => {
      await worker.close()
      await api.queue.obliterate({ force: true })
      await api.close()
      jobs.useDriver(previous)
    },
  }
}

test.group('Jobs: API', () => {
  test('owners see their dead jobs and retry them; other tenants and workers cannot', async ({
    client,
    assert,
    cleanup,
  }) => {
    const owner = await signup(client)
    const tenantId = Number(owner.tenantId)
    const local = new Jobs()
    const { worker, cleanup: stop } = await workerFor(local)
    cleanup(stop)

    let healthy = false
    let runs = 0
    const job = local.register(
      defineJob({
        name: jobName('invoice'),
        owner: 'kernel',
        attempts: 2,
        backoff: 10,
        handle() {
          runs++
          if (!healthy) throw new Error('SMTP refused the message')
        },
      })
    )
    const id = await local.dispatch(job, { invoice: 42 }, { tenantId })
    await worker.startWorker()
    await waitFor(async () => (await jobs.driver.deadLetters(tenantId, 1, 10)).total === 1)
    assert.equal(runs, 2)

    const list = await client.get('/api/v1/jobs/dead-letter').bearerToken(owner.token)
    list.assertStatus(200)
    assert.equal(list.body().meta.total, 1)
    const [dead] = list.body().data
    assert.equal(dead.type, 'dead-job')
    assert.equal(dead.id, id)
    assert.equal(dead.attributes.name, job.name)
    assert.equal(dead.attributes.attempts, 2)
    assert.deepEqual(dead.attributes.payload, { invoice: 42 })
    assert.include(dead.attributes.lastError, 'SMTP refused the message')

    // another tenant sees nothing and cannot retry it (404, not 403)
    const stranger = await signup(client)
    const theirs = await client.get('/api/v1/jobs/dead-letter').bearerToken(stranger.token)
    theirs.assertStatus(200)
    assert.equal(theirs.body().meta.total, 0)
    ;(await client.post(`/api/v1/jobs/${id}/retry`).bearerToken(stranger.token)).assertStatus(404)

    // a worker of the same tenant lacks jobs.manage
    const member = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: member.email, role: 'worker' })
    ).assertStatus(201)
    const workerToken = await login(client, member.email, owner.slug)
    ;(await client.get('/api/v1/jobs/dead-letter').bearerToken(workerToken)).assertStatus(403)

    // bad list parameters are a 400, unknown ids a 404
    const badLimit = await client.get('/api/v1/jobs/dead-letter?limit=abc').bearerToken(owner.token)
    badLimit.assertStatus(400)
    assert.equal(badLimit.body().errors[0].code, 'INVALID_QUERY_PARAMETER')
    ;(await client.post(`/api/v1/jobs/${unique()}/retry`).bearerToken(owner.token)).assertStatus(
      404
    )

    healthy = true
    const retried = await client.post(`/api/v1/jobs/${id}/retry`).bearerToken(owner.token)
    retried.assertStatus(200)
    assert.equal(retried.body().data.id, id)
    await waitFor(() => runs === 3, 5000, 'the retried job to run')
    await waitFor(async () => (await jobs.driver.deadLetters(tenantId, 1, 10)).total === 0)
    // it is no longer dead: a second retry is a 404
    ;(await client.post(`/api/v1/jobs/${id}/retry`).bearerToken(owner.token)).assertStatus(404)

    const audit = await client
      .get('/api/v1/audit-log?filter[action]=jobs.retried')
      .bearerToken(owner.token)
    assert.equal(audit.body().data[0].attributes.subjectId, id)
  }).timeout(30_000)

  test('the probe is queued for the tenant and the worker that runs it says so in the audit log', async ({
    client,
    assert,
    cleanup,
  }) => {
    const owner = await signup(client)
    const local = new Jobs()
    local.register(probeJob)
    const { worker, cleanup: stop } = await workerFor(local)
    cleanup(stop)

    const queued = await client.post('/api/v1/jobs/probe').bearerToken(owner.token)
    queued.assertStatus(202)
    const { id, attributes } = queued.body().data
    assert.equal(attributes.name, 'kernel.jobs.probe')

    await worker.startWorker()
    // poll the table (polling the API would hit its rate limit), then read it through the API
    await waitFor(() =>
      db.from('audit_logs').where('action', 'jobs.probe').where('tenant_id', owner.tenantId).first()
    )
    const response = await client
      .get('/api/v1/audit-log?filter[action]=jobs.probe')
      .bearerToken(owner.token)
    const entry = response.body().data[0]
    assert.equal(entry.attributes.subjectId, id)
    assert.equal(entry.attributes.meta.probe, attributes.probe)
    assert.equal(entry.attributes.meta.pid, process.pid)
  })
})
