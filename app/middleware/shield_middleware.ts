import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import { isStatelessRequest } from '#middleware/web_session_middleware'

type Shields = { web: ShieldMiddleware; api: ShieldMiddleware }
let shields: Promise<Shields> | undefined

/*
 * Shield (config/shield.ts) for pages and forms; for the API and the ops
 * endpoints the same guards but CSRF, which the config excepts for /api/
 * anyway and which needs the session they do not start (see
 * web_session_middleware). Their answers keep the CSP, X-Frame-Options,
 * nosniff and HSTS headers.
 */
export default class PlinthShieldMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    shields ??= (async () => {
      const config = app.config.get<any>('shield', {})
      const encryption = await app.container.make('encryption')
      return {
        // built once: the shield provider's factory would rebuild it (and import edge.js) per request
        web: await app.container.make(ShieldMiddleware),
        api: new ShieldMiddleware({ ...config, csrf: { enabled: false } }, encryption),
      }
    })()
    const { web, api } = await shields
    return (isStatelessRequest(ctx) ? api : web).handle(ctx, next)
  }
}
