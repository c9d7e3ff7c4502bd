/*
 * Rate limits (PLATFORM.md section 6): 100/min per API token, 20/min per IP on
 * the auth endpoints (API_RATE_LIMIT / AUTH_RATE_LIMIT change them, e.g. for the
 * bench). Headers X-RateLimit-* on every answer, 429 past the limit.
 */
import limiter from '@adonisjs/limiter/services/main'
import env from '#start/env'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { HttpLimiter, LimiterResponse } from '@adonisjs/limiter'

/* X-RateLimit-Reset is the Unix time (seconds) at which the window resets. */
export function rateLimitHeaders(
  response: Pick<LimiterResponse, 'limit' | 'remaining' | 'availableIn'>
) {
  return {
    'X-RateLimit-Limit': String(response.limit),
    'X-RateLimit-Remaining': String(response.remaining),
    'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + response.availableIn),
  }
}

/*
 * Like limiter.define(), but the headers are set before the handler runs, so
 * error answers carry them too, and X-RateLimit-Reset is included.
 */
function throttle(name: string, build: (ctx: HttpContext) => HttpLimiter<any>) {
  const throttleMiddleware = async (ctx: HttpContext, next: NextFn) => {
    const limiterForRequest = build(ctx).limitExceeded((error) => {
      // the 429 of web pages too gets the same Reset format (the API's is set by the exception handler)
      error.setHeaders({
        ...rateLimitHeaders(error.response),
        'Retry-After': String(error.response.availableIn),
      })
    })
    const response = await limiterForRequest.throttle(name, ctx)
    for (const [header, value] of Object.entries(rateLimitHeaders(response)))
      ctx.response.header(header, value)
    return next()
  }
  Object.defineProperty(throttleMiddleware, 'name', { value: `${name}Throttle` })
  return throttleMiddleware
}

export const throttleApi = throttle('api', (ctx) => {
  const key = ctx.actor?.tokenId ? `token_${ctx.actor.tokenId}` : `ip_${ctx.request.ip()}`
  return limiter.allowRequests(env.get('API_RATE_LIMIT', 100)).every('1 minute').usingKey(key)
})

export const throttleAuth = throttle('auth', (ctx) => {
  return limiter
    .allowRequests(env.get('AUTH_RATE_LIMIT', 20))
    .every('1 minute')
    .usingKey(`ip_${ctx.request.ip()}`)
})

/* the public routes of plugins (an online booking page): per IP, no login */
export const throttlePublic = throttle('public', (ctx) => {
  return limiter
    .allowRequests(env.get('PUBLIC_RATE_LIMIT', 60))
    .every('1 minute')
    .usingKey(`ip_${ctx.request.ip()}`)
})

/*
 * One attempt against a named limit of a plugin (e.g. bookings per contact on
 * a public form): past `requests` per `duration`, a 429 RATE_LIMITED with
 * Retry-After. Keys are namespaced by the name, so limits never share counts.
 */
export async function consumeRateLimit(
  name: string,
  key: string,
  options: { requests: number; duration: string | number }
) {
  return limiter
    .use({ requests: options.requests, duration: options.duration })
    .consume(`${name}_${key}`)
}
