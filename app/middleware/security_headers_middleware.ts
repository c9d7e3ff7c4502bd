import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/*
 * Security headers on every answer, including 404s and errors raised before
 * a route matched (shield runs as router middleware, so it never sees those).
 * Shield overwrites the CSP with the page policy (nonces, Vite) on matched
 * routes; this strict one covers JSON and plain error answers. Shield has no
 * Referrer-Policy, so this is where it comes from.
 */
const CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
const HSTS = `max-age=${180 * 24 * 60 * 60}; includeSubDomains`

export default class SecurityHeadersMiddleware {
  async handle({ response }: HttpContext, next: NextFn) {
    response.header('Content-Security-Policy', CSP)
    response.header('X-Content-Type-Options', 'nosniff')
    response.header('X-Frame-Options', 'DENY')
    response.header('Referrer-Policy', 'strict-origin-when-cross-origin')
    if (app.inProduction) response.header('Strict-Transport-Security', HSTS)
    return next()
  }
}
