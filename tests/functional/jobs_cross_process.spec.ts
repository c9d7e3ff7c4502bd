import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import app from '@adonisjs/core/services/app'
import { Jobs } from '#jobs/jobs'
import { probeJob } from '#jobs/kernel_jobs'
import { redisQueueFromConfig } from '#jobs/configured_driver'
import { signup, unique } from '#tests/helpers'
import { waitFor } from '#tests/jobs_helpers'

/*
 * The production shape: the web process only dispatches to Redis; a separate
 * `node ace queue:listen` process (same code, same database) runs the job,
 * resolving it by name. Runs in both CI runs (Redis is always there): on the
 * SQLite run the worker shares the SQLite file.
 */
test.group('Jobs: cross-process worker', () => {
  test('a job dispatched by the web process runs in node ace queue:listen, which stops on SIGTERM with 0', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const prefix = `plinth-test-${unique()}`
    const web = new Jobs()
    const queue = redisQueueFromConfig(app, web, { prefix })
    web.useDriver(queue)
    const probe = unique()

    const child = spawn(process.execPath, ['ace', 'queue:listen'], {
      cwd: fileURLToPath(app.appRoot),
      env: { ...process.env, QUEUE_DRIVER: 'redis', QUEUE_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal }))
    )

    try {
      // dispatched while the worker is still booting: the job waits in Redis
      const jobId = await web.dispatch(probeJob, { probe }, { tenantId: Number(owner.tenantId) })

      const entry = await waitFor(
        async () => {
          const response = await client
            .get('/api/v1/audit-log?filter[action]=jobs.probe')
            .bearerToken(owner.token)
          return response.body().data?.find((row: any) => row.attributes.meta?.probe === probe)
        },
        25_000,
        'the worker process to run the probe'
      ).catch((error) => {
        throw new Error(`${error.message}\nworker output:\n${output}`)
      })
      assert.equal(entry.attributes.subjectId, jobId)
      assert.equal(entry.attributes.meta.pid, child.pid)
      assert.notEqual(entry.attributes.meta.pid, process.pid)
      assert.equal(entry.attributes.meta.driver, 'redis')
    } finally {
      child.kill('SIGTERM')
      const { code, signal } = await exited
      await queue.queue.obliterate({ force: true })
      await queue.close()
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, output)
    }
  }).timeout(60_000)
})
