import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import type { Assert } from '@japa/assert'
import { Jobs } from '#jobs/jobs'
import { probeJob } from '#jobs/kernel_jobs'
import { redisQueueFromConfig } from '#jobs/configured_driver'
import { DatabaseQueue } from '#jobs/database_queue'
import type { QueueDriver } from '#jobs/queue_driver'
import { signup, unique } from '#tests/helpers'
import { waitFor } from '#tests/jobs_helpers'

/*
 * The production shape: the web process dispatches; a separate
 * `node ace queue:listen` process (same code, same database) runs the job,
 * resolving it by name, and exits 0 on SIGTERM. Both tests run in both CI
 * runs (Redis is always there); on the SQLite run the worker shares the
 * SQLite file (WAL).
 */
async function dispatchedJobRunsInWorkerProcess(
  client: ApiClient,
  assert: Assert,
  driver: 'redis' | 'database'
) {
  const owner = await signup(client)
  const prefix = `plinth-test-${unique()}`
  const web = new Jobs()
  const queue: QueueDriver =
    driver === 'redis' ? redisQueueFromConfig(app, web, { prefix }) : new DatabaseQueue(web)
  web.useDriver(queue)
  const probe = unique()

  const child = spawn(process.execPath, ['ace', 'queue:listen'], {
    cwd: fileURLToPath(app.appRoot),
    env: {
      ...process.env,
      QUEUE_DRIVER: driver === 'redis' ? 'redis' : 'memory',
      QUEUE_PREFIX: prefix,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal }))
  )

  try {
    // dispatched while the worker is still booting: the job waits in the queue
    const jobId = await web.dispatch(probeJob, { probe }, { tenantId: Number(owner.tenantId) })

    // poll the table (polling the API would hit its rate limit), then read the entry through the API
    await waitFor(
      () =>
        db
          .from('audit_logs')
          .where('action', 'jobs.probe')
          .where('tenant_id', Number(owner.tenantId))
          .first(),
      // the worker boots the whole app first: slow on a loaded machine
      60_000,
      'the worker process to run the probe'
    ).catch((error) => {
      throw new Error(`${error.message}\nworker output:\n${output}`)
    })
    const response = await client
      .get('/api/v1/audit-log?filter[action]=jobs.probe')
      .bearerToken(owner.token)
    response.assertStatus(200)
    const entry = response.body().data.find((row: any) => row.attributes.meta?.probe === probe)
    assert.isDefined(entry)
    assert.equal(entry.attributes.subjectId, jobId)
    assert.equal(entry.attributes.meta.pid, child.pid)
    assert.notEqual(entry.attributes.meta.pid, process.pid)
    assert.equal(entry.attributes.meta.driver, driver)
  } finally {
    child.kill('SIGTERM')
    const { code, signal } = await exited
    if (driver === 'redis') await (queue as any).queue.obliterate({ force: true })
    await queue.close()
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, output)
  }
}

test.group('Jobs: cross-process worker', () => {
  test('a job dispatched by the web process to Redis runs in node ace queue:listen, which stops on SIGTERM with 0', async ({
    client,
    assert,
  }) => {
    await dispatchedJobRunsInWorkerProcess(client, assert, 'redis')
  }).timeout(120_000)

  test('with the database queue, node ace queue:listen runs a job another process stored', async ({
    client,
    assert,
  }) => {
    await dispatchedJobRunsInWorkerProcess(client, assert, 'database')
  }).timeout(120_000)
})
