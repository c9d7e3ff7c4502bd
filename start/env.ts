/*
 * Typed environment. Every variable the app reads is declared here.
 */
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  APP_KEY: Env.schema.string(),
  HOST: Env.schema.string({ format: 'host' }),
  LOG_LEVEL: Env.schema.enum.optional([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  APP_URL: Env.schema.string.optional(),

  /* database: sqlite (embedded default) or pg */
  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg'] as const),
  SQLITE_PATH: Env.schema.string.optional(),
  PG_HOST: Env.schema.string.optional({ format: 'host' }),
  PG_PORT: Env.schema.number.optional(),
  PG_USER: Env.schema.string.optional(),
  PG_PASSWORD: Env.schema.string.optional(),
  PG_DB_NAME: Env.schema.string.optional(),

  /* queue, cache, locks, rate limits: memory (embedded default) or redis */
  QUEUE_DRIVER: Env.schema.enum.optional(['memory', 'redis'] as const),
  /* BullMQ key prefix: separates deployments (and test runs) sharing one Redis */
  QUEUE_PREFIX: Env.schema.string.optional(),
  REDIS_HOST: Env.schema.string.optional({ format: 'host' }),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  REDIS_DB: Env.schema.number.optional(),
  REDIS_LIMITER_DB: Env.schema.number.optional(),

  /* sessions: cookie (embedded default) or redis */
  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'redis', 'memory'] as const),
  LIMITER_STORE: Env.schema.enum.optional(['memory', 'redis'] as const),

  /* webhooks may target loopback/private addresses (tests only; never in production) */
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: Env.schema.boolean.optional(),
  /* run the events relay and webhook dispatcher in the web process (default true) */
  EVENTS_RELAY_IN_WEB: Env.schema.boolean.optional(),

  /* requests per minute: per API token (default 100), per IP on auth endpoints (default 20)
     and per IP on plugins' public pages (default 60) */
  API_RATE_LIMIT: Env.schema.number.optional(),
  AUTH_RATE_LIMIT: Env.schema.number.optional(),
  PUBLIC_RATE_LIMIT: Env.schema.number.optional(),
})
