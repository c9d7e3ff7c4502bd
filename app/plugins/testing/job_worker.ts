import { randomUUID } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import { jobs } from '#jobs/jobs'
import { redisQueueFromConfig } from '#jobs/configured_driver'

/*
 * Runs a job worker for one test, on the configured driver: the database
 * queue in-process, or BullMQ under a prefix of its own (so parallel runs
 * sharing a Redis never take each other's jobs). Answers the function that
 * stops it and, on Redis, removes its queue.
 */
export async function startJobWorker(): Promise<() => Promise<void>> {
  if (jobs.driver.kind === 'database') {
    await jobs.startWorker({ pollMs: 50 })
    return () => jobs.stopWorker()
  }
  const driver = redisQueueFromConfig(app, jobs, { prefix: `test-${randomUUID().slice(0, 8)}` })
  const previous = jobs.useDriver(driver)
  await jobs.startWorker()
  return async () => {
    await jobs.stopWorker()
    await driver.queue.obliterate({ force: true })
    await driver.close()
    if (previous) jobs.useDriver(previous)
  }
}
