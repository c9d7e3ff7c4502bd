import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/*
 * Security headers on every answer, including 404s and errors raised before
 * a route matched (shield runs as router middleware, so it never sees those).
 * On matched routes shield sets the page CSP (nonces, Vite); this strict one
 * covers the answers it never sees. Shield has no Referrer-Policy, so this
 * is where it comes from.
 */
const CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
const HSTS = `max-age=${180 * 24 * 60 * 60}; includeSubDomains`

export default class SecurityHeadersMiddleware {
  async handle({ response }: HttpContext, next: NextFn) {
    response.header('X-Content-Type-Options', 'nosniff')
    response.header('X-Frame-Options', 'DENY')
    response.header('Referrer-Policy', 'strict-origin-when-cross-origin')
    if (app.inProduction) response.header('Strict-Transport-Security', HSTS)
    await next()
    // shield writes its CSP straight onto the Node response; keep it when it did
    if (!response.getHeader('Content-Security-Policy'))
      response.header('Content-Security-Policy', CSP)
  }
}
