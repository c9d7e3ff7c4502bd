import { setTimeout as sleep } from 'node:timers/promises'
import { BaseCheck, HealthChecks, Result } from '@adonisjs/core/health'
import type { HealthCheckResult } from '@adonisjs/core/types/health'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import env from '#start/env'

/* A readiness probe must answer quickly even when a dependency hangs (a pool waiting on a dead PostgreSQL). */
const CHECK_TIMEOUT_MS = 3000

class DatabaseCheck extends BaseCheck {
  name = 'database'

  async run() {
    const connection = db.connection()
    await connection.rawQuery('select 1 as ok')
    return Result.ok('The database answered a query').mergeMetaData({
      dialect: connection.dialect.name,
    })
  }
}

/* A plain PING; unlike @adonisjs/redis's RedisCheck it also opens a lazy connection nobody has used yet. */
class RedisPingCheck extends BaseCheck {
  name = 'redis'

  async run() {
    const answer = await redis.connection().ping()
    return answer === 'PONG'
      ? Result.ok('Redis answered PING')
      : Result.failed(`Redis answered PING with "${answer}"`)
  }
}

/* Failures become an error result with a message; stacks and connection details stay in the logs. */
class Guarded extends BaseCheck {
  name: string

  constructor(private inner: BaseCheck) {
    super()
    this.name = inner.name
  }

  async run() {
    const abort = new AbortController()
    try {
      return await Promise.race([
        this.inner.run(),
        sleep(CHECK_TIMEOUT_MS, undefined, { signal: abort.signal }).then(() =>
          Result.failed(`No answer within ${CHECK_TIMEOUT_MS} ms`)
        ),
      ])
    } catch (error) {
      return Result.failed(error instanceof Error ? error.message : String(error))
    } finally {
      abort.abort()
    }
  }
}

/* Redis is a dependency only when one of the stores is switched to it. */
export function redisConfigured() {
  return (
    env.get('QUEUE_DRIVER') === 'redis' ||
    env.get('LIMITER_STORE') === 'redis' ||
    env.get('SESSION_DRIVER') === 'redis'
  )
}

export async function readiness() {
  const checks: BaseCheck[] = [new Guarded(new DatabaseCheck())]
  if (redisConfigured()) checks.push(new Guarded(new RedisPingCheck()))
  const report = await new HealthChecks().register(checks).run()
  return {
    healthy: report.isHealthy,
    status: report.status,
    checks: Object.fromEntries(report.checks.map((check) => [check.name, publicResult(check)])),
  }
}

function publicResult(check: HealthCheckResult) {
  const meta: Record<string, unknown> = { ...check.meta }
  delete meta.error
  return { status: check.status, message: check.message, ...meta }
}
