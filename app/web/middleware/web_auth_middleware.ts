import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { tenantContext } from '#tenancy/tenant_context'
import { actorForFirstTenant, actorForTenant } from '#tenancy/resolve_actor'

/* The session remembers which of the user's tenants the web UI is working in. */
export const SESSION_TENANT_KEY = 'tenantId'

/*
 * Staff pages: the session user acting in the session's tenant. Guests go to
 * the login page; the rest of the request runs in that tenant's context.
 */
export default class WebAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const guard = ctx.auth.use('web')
    if (!(await guard.check())) return ctx.response.redirect().toPath('/login')

    const user = guard.getUserOrFail()
    const wanted = Number(ctx.session.get(SESSION_TENANT_KEY))
    // the membership may have been removed since login: fall back to another tenant of theirs
    const actor = (wanted ? await actorForTenant(user, wanted) : null) ?? (await actorForFirstTenant(user))
    if (!actor) {
      await guard.logout()
      ctx.session.forget(SESSION_TENANT_KEY)
      ctx.session.flashErrors({ form: 'This account is no longer a member of any organization.' })
      return ctx.response.redirect().toPath('/login')
    }
    if (actor.tenant.id !== wanted) ctx.session.put(SESSION_TENANT_KEY, actor.tenant.id)

    ctx.actor = actor
    return tenantContext.run(actor.tenant.id, () => next())
  }
}
