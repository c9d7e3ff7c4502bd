import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import StaticMiddleware from '@adonisjs/static/static_middleware'
import staticConfig from '#config/static'

/*
 * @adonisjs/static in front of every request costs a file-system stat and a new
 * serve-static instance per request (its provider binds, not singletons), which
 * cut /health/live and API throughput by a third. public/ only holds files with
 * an extension (the Vite bundle, favicon), so only such paths are looked up,
 * through one shared instance. Dot paths (public/assets/.vite/manifest.json)
 * are never served: serve-static would, since `dotFiles` does not reach it.
 */
const LOOKS_LIKE_FILE = /\/[^/]*\.[A-Za-z0-9]+$/

let files: StaticMiddleware | undefined

export default class StaticFilesMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    if (!['GET', 'HEAD'].includes(ctx.request.method())) return next()
    const url = ctx.request.url()
    if (!LOOKS_LIKE_FILE.test(url) || url.includes('/.')) return next()
    files ??= new StaticMiddleware(app.publicPath(), staticConfig)
    return files.handle(ctx, next)
  }
}
