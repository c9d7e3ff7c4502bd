import type { HttpContext } from '@adonisjs/core/http'
import { actorForTenant } from '#tenancy/resolve_actor'
import { switchTenantValidator } from '#web/validators/session_validator'
import { SESSION_TENANT_KEY } from '#web/middleware/web_auth_middleware'
import { audit } from '#audit/audit_log'

export default class TenantSwitchController {
  /* POST /tenants/switch: only to a tenant the user is a member of */
  async store(ctx: HttpContext) {
    const { tenantId } = await ctx.request.validateUsing(switchTenantValidator)
    const target = await actorForTenant(ctx.actor!.user, tenantId)
    if (!target) {
      // unknown and foreign tenants read the same, so ids do not leak
      ctx.session.flashErrors({ tenant: 'You are not a member of that organization.' })
      return ctx.response.redirect().back()
    }
    ctx.session.put(SESSION_TENANT_KEY, target.tenant.id)
    // recorded in the tenant entered, where its admins read their audit log
    await audit({
      action: 'auth.tenant.switched',
      tenantId: target.tenant.id,
      actorUserId: target.user.id,
      subjectType: 'tenant',
      subjectId: target.tenant.id,
      meta: { fromTenantId: ctx.actor!.tenant.id },
    })
    ctx.session.flash('notice', `You are now working in ${target.tenant.name}.`)
    // the page you were on may not exist for your role there: start from the dashboard
    return ctx.response.redirect().toPath('/app')
  }
}
