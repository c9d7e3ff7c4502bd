import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import SessionMiddleware from '@adonisjs/session/session_middleware'

/* The bearer-token API: no cookies, so no session and no CSRF (config/shield.ts excepts it too). */
export const isApiRequest = (ctx: HttpContext) => ctx.request.url().startsWith('/api/')

let session: Promise<SessionMiddleware<any>> | undefined

/*
 * The session middleware, for everything but the API. On every API request
 * it started a session that shield's CSRF guard then filled with a new
 * secret, answered as two encrypted cookies (plinth-session, XSRF-TOKEN)
 * nobody reads: about a millisecond of CPU a request. See shield_middleware.
 */
export default class WebSessionMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (isApiRequest(ctx)) return next()
    session ??= app.container.make(SessionMiddleware)
    const middleware = await session
    return middleware.handle(ctx, next)
  }
}
