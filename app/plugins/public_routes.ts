import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import Tenant from '#models/tenant'
import { ApiError } from '#http/api_error'
import { tenantContext } from '#tenancy/tenant_context'
import { enabledPlugins } from '#plugins/enabled_plugins'
import { plugins } from '#plugins/main'
import { throttlePublic } from '#start/limiter'

/* The tenant a public page serves, as the page may show it. */
export type PublicTenant = { id: number; slug: string; name: string }

declare module '@adonisjs/core/http' {
  interface HttpContext {
    /* set on a plugin's public routes (/p/:tenant/<id>/...) */
    publicTenant?: PublicTenant
    /* errors answer in the API's envelope (set on JSON requests to public routes) */
    errorsAsJson?: boolean
  }
}

/* The URL prefix of a plugin's public routes; `:tenant` is the tenant's slug. */
function publicUrlPrefix(pluginId: string) {
  return `/p/:tenant/${pluginId}`
}

/* a browser's fetch() asking for JSON, not an Inertia visit or a page load */
function wantsJson(ctx: HttpContext) {
  if (ctx.request.header('x-inertia')) return false
  return (ctx.request.header('accept') ?? '').includes('application/json')
}

/*
 * First middleware of a plugin's public routes: errors of JSON requests (the
 * page's fetch calls) answer in the API's error envelope (see the exception
 * handler), rate limits included; page loads keep the web behaviour (the 404
 * page, CSRF refusals sent back to the form).
 */
async function publicErrors(ctx: HttpContext, next: NextFn) {
  if (wantsJson(ctx)) ctx.errorsAsJson = true
  return next()
}

/*
 * The tenant named by the slug must exist and have the plugin enabled
 * (otherwise the same 404 for both, so slugs do not leak); the handler then
 * runs in that tenant's context, with `ctx.publicTenant` set.
 */
export function publicGate(pluginId: string) {
  return async function gate(ctx: HttpContext, next: NextFn) {
    const slug = String(ctx.params.tenant ?? '')
    const tenant = await tenantContext.unscoped(() => Tenant.findBy('slug', slug))
    let enabled = tenant ? enabledPlugins.isEnabled(tenant.id, pluginId) : false
    if (typeof enabled !== 'boolean') enabled = await enabled
    if (!tenant || !enabled) throw new ApiError(404, 'NOT_FOUND', 'Page not found')
    ctx.publicTenant = { id: tenant.id, slug: tenant.slug, name: tenant.name }
    return tenantContext.run(tenant.id, () => next())
  }
}

/*
 * Every plugin's `publicRoutes` under /p/:tenant/<id>/: no login, the web
 * session and CSRF (shield) like the sign-in page, a per-IP rate limit
 * (PUBLIC_RATE_LIMIT a minute), then the tenant gate.
 */
export function mountPublicRoutes() {
  for (const plugin of plugins.registry.all()) {
    const define = plugin.manifest.publicRoutes
    if (!define) continue
    router
      .group(() => {
        try {
          define(router, plugin.context)
        } catch (error) {
          throw new Error(
            `Plugin "${plugin.id}" (${plugin.source}) failed to declare its public routes`,
            { cause: error }
          )
        }
      })
      .prefix(publicUrlPrefix(plugin.id))
      .where('tenant', /^[a-z0-9-]{1,100}$/)
      .use([publicErrors, throttlePublic, publicGate(plugin.id)])
  }
}
