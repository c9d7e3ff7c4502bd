import type { ApplicationService } from '@adonisjs/core/types'
import type queueConfig from '#config/queue'
import { configuredDriverKind, type Jobs } from '#jobs/jobs'
import { DatabaseQueue } from '#jobs/database_queue'
import { RedisQueue } from '#jobs/redis_queue'
import type { QueueDriver } from '#jobs/queue_driver'

/* QUEUE_DRIVER=redis → BullMQ with config/queue.ts; otherwise the database queue. */
export function createConfiguredDriver(app: ApplicationService, jobs: Jobs): QueueDriver {
  if (configuredDriverKind() === 'redis') return redisQueueFromConfig(app, jobs)
  return new DatabaseQueue(jobs)
}

export function redisQueueFromConfig(
  app: ApplicationService,
  jobs: Jobs,
  overrides: { prefix?: string } = {}
): RedisQueue {
  const config = app.config.get<typeof queueConfig>('queue')
  return new RedisQueue(jobs, {
    connection: config.defaultConnection,
    prefix: overrides.prefix ?? config.queue.prefix ?? 'plinth-queue',
    jobOptions: config.jobs,
  })
}
