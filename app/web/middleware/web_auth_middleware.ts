import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { tenantContext } from '#tenancy/tenant_context'
import { actorForFirstTenant, actorForTenant } from '#tenancy/resolve_actor'
import { mustEnrollTwoFactor } from '#middleware/api_auth_middleware'

/* The session remembers which of the user's tenants the web UI is working in. */
export const SESSION_TENANT_KEY = 'tenantId'

/* What an owner/admin may still open while their tenant demands two-factor they lack. */
const TWO_FACTOR_SETUP_ROUTES = new Set([
  'web.security.show',
  'web.security.enroll',
  'web.security.confirm',
  'web.tenants.switch',
  'web.logout',
])

/*
 * Staff pages: the session user acting in the session's tenant. Guests go to
 * the login page; the rest of the request runs in that tenant's context.
 */
export default class WebAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    // checkUsing (not the guard alone) so ctx.auth.user is set for audit entries
    if (!(await ctx.auth.checkUsing(['web']))) return ctx.response.redirect().toPath('/login')
    const guard = ctx.auth.use('web')

    const user = guard.getUserOrFail()
    const wanted = Number(ctx.session.get(SESSION_TENANT_KEY))
    // the membership may have been removed since login: fall back to another tenant of theirs
    const actor =
      (wanted ? await actorForTenant(user, wanted) : null) ?? (await actorForFirstTenant(user))
    if (!actor) {
      await guard.logout()
      ctx.session.forget(SESSION_TENANT_KEY)
      ctx.session.flashErrors({ form: 'This account is no longer a member of any organization.' })
      return ctx.response.redirect().toPath('/login')
    }
    if (actor.tenant.id !== wanted) ctx.session.put(SESSION_TENANT_KEY, actor.tenant.id)

    if (mustEnrollTwoFactor(actor) && !TWO_FACTOR_SETUP_ROUTES.has(ctx.route?.name ?? '')) {
      ctx.session.flash(
        'notice',
        `${actor.tenant.name} requires two-factor authentication for owners and admins: turn it on to continue.`
      )
      return ctx.response.redirect().toPath('/app/security')
    }

    ctx.actor = actor
    return tenantContext.run(actor.tenant.id, () => next())
  }
}
