import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import SessionMiddleware from '@adonisjs/session/session_middleware'

/*
 * No cookies, so no session and no CSRF: the bearer-token API (config/shield.ts
 * excepts it too) and the probes and scrapers of start/routes/ops.ts, which
 * would otherwise get a new session, and with Redis sessions a new key, on
 * every call.
 */
export function isStatelessRequest(ctx: HttpContext) {
  const url = ctx.request.url()
  return url.startsWith('/api/') || url.startsWith('/health/') || url === '/metrics'
}

let session: Promise<SessionMiddleware<any>> | undefined

/*
 * The session middleware, for everything but the API. On every API request
 * it started a session that shield's CSRF guard then filled with a new
 * secret, answered as two encrypted cookies (plinth-session, XSRF-TOKEN)
 * nobody reads: about a millisecond of CPU a request. See shield_middleware.
 */
export default class WebSessionMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (isStatelessRequest(ctx)) return next()
    session ??= app.container.make(SessionMiddleware)
    const middleware = await session
    return middleware.handle(ctx, next)
  }
}
