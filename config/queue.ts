import env from '#start/env'
import { defineConfig } from '@rlanz/bull-queue'

/*
 * BullMQ connection and defaults for QUEUE_DRIVER=redis. Jobs are stored under
 * their stable name (never a file path); `node ace queue:listen` resolves the
 * handler from the job registry. QUEUE_PREFIX separates deployments (and test runs)
 * sharing one Redis.
 */
const queueConfig = defineConfig({
  defaultConnection: {
    host: env.get('REDIS_HOST', '127.0.0.1'),
    port: env.get('REDIS_PORT', 6379),
    password: env.get('REDIS_PASSWORD') || undefined,
    db: env.get('REDIS_DB', 0),
  },
  queueNames: ['plinth'],
  queue: { prefix: env.get('QUEUE_PREFIX', 'plinth-queue') },
  worker: { concurrency: 5 },
  jobs: { removeOnComplete: true, removeOnFail: false },
})

export default queueConfig
