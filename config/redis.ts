import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

function connection(db: number) {
  return {
    host: env.get('REDIS_HOST', '127.0.0.1'),
    port: env.get('REDIS_PORT', 6379),
    password: env.get('REDIS_PASSWORD', ''),
    db,
    lazyConnect: true,
    retryStrategy(times: number) {
      return times > 10 ? null : times * 50
    },
  }
}

/* Used only when configured (QUEUE_DRIVER=redis, LIMITER_STORE=redis, SESSION_DRIVER=redis). */
const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: {
      ...connection(env.get('REDIS_DB', 0)),
      keyPrefix: 'plinth:',
    },
    /* its own database: the limiter's clear() flushes the whole database it uses */
    limiter: {
      ...connection(env.get('REDIS_LIMITER_DB', 1)),
      keyPrefix: 'plinth:limits:',
    },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
