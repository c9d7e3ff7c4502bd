import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { inFlight } from '#ops/in_flight'
import { observeRequest } from '#ops/metrics'
import { isSaneRequestId, newRequestId } from '#ops/request_id'

/*
 * First server middleware: settles the request id (X-Request-Id in and out,
 * bound to ctx.logger as request_id), then, once the answer is known, writes
 * one access-log line and feeds the Prometheus counters. Errors raised further
 * down are already rendered when `next()` resolves, so their status is counted.
 */
const SHUTDOWN_GRACE_MS = 10_000

// registered after the HTTP server's own hook: stop accepting, then let handlers finish, then close pools
app.terminating(() => inFlight.drained(SHUTDOWN_GRACE_MS))

export default class RequestLogMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const started = process.hrtime.bigint()
    const { request, response } = ctx

    let requestId = request.request.headers['x-request-id']
    if (!isSaneRequestId(requestId)) {
      requestId = newRequestId()
      request.request.headers['x-request-id'] = requestId
      ctx.logger = logger.child({ request_id: requestId })
    }
    response.header('X-Request-Id', requestId)

    inFlight.started()
    try {
      await next()
    } finally {
      inFlight.finished()
    }

    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const status = response.getStatus()
    const route = ctx.route?.pattern
    observeRequest(request.method(), route, status, seconds)
    ctx.logger.info(
      {
        method: request.method(),
        url: request.url(),
        route: route ?? null,
        status,
        duration_ms: Math.round(seconds * 1e6) / 1e3,
      },
      'request completed'
    )
  }
}
