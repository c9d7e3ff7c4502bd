/*
 * Rate limits (PLATFORM.md section 6): 100/min per API token, 20/min per IP on
 * the auth endpoints. Headers X-RateLimit-* on every answer, 429 past the limit.
 */
import limiter from '@adonisjs/limiter/services/main'

export const throttleApi = limiter.define('api', (ctx) => {
  const key = ctx.actor?.tokenId ? `token_${ctx.actor.tokenId}` : `ip_${ctx.request.ip()}`
  return limiter.allowRequests(100).every('1 minute').usingKey(key)
})

export const throttleAuth = limiter.define('auth', (ctx) => {
  return limiter.allowRequests(20).every('1 minute').usingKey(`ip_${ctx.request.ip()}`)
})
