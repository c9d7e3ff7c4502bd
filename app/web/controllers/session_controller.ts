import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import type User from '#models/user'
import { verifyCredentials } from '#auth/actions/verify_credentials'
import { actorForFirstTenant, actorForTenant } from '#tenancy/resolve_actor'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'
import { loginValidator } from '#web/validators/session_validator'
import { SESSION_TENANT_KEY } from '#web/middleware/web_auth_middleware'

async function actorFor(user: User, slug: string | undefined) {
  if (!slug) return actorForFirstTenant(user)
  const tenant = await Tenant.findBy('slug', slug)
  return tenant ? actorForTenant(user, tenant.id) : null
}

export default class SessionController {
  /* GET /login; `twoFactor` (flashed) shows the code step */
  async show({ inertia, session }: HttpContext) {
    return inertia.render('auth/login', {
      twoFactor: session.flashMessages.get('twoFactor') === true,
    })
  }

  /*
   * POST /login. The same checks as the token exchange (lockout, audit). An
   * account with two-factor gets the code step: the browser sends the
   * credentials again with the code, and nothing is signed in before it passes.
   */
  async store(ctx: HttpContext) {
    const { session, response } = ctx
    const input = await ctx.request.validateUsing(loginValidator)

    let user: User
    try {
      user = await verifyCredentials(input)
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      if (error.code === 'TWO_FACTOR_REQUIRED') {
        session.flash('twoFactor', true)
      } else if (error.code === 'INVALID_TWO_FACTOR_CODE') {
        session.flash('twoFactor', true)
        session.flashErrors({ otp: 'That code is wrong or expired.' })
      } else {
        session.flashErrors({ form: error.message })
      }
      return response.redirect().toPath('/login')
    }

    const actor = await actorFor(user, input.tenant)
    if (!actor) {
      // the same answer for an unknown slug and a tenant the user is not in: slugs do not leak
      session.flashErrors(
        input.tenant
          ? { tenant: `No organization "${input.tenant}" for this account.` }
          : { form: 'This account is not a member of any organization.' }
      )
      return response.redirect().toPath('/login')
    }

    await ctx.auth.use('web').login(user)
    session.put(SESSION_TENANT_KEY, actor.tenant.id)
    await audit({
      action: 'auth.login.succeeded',
      tenantId: actor.tenant.id,
      actorUserId: user.id,
      meta: { via: 'web' },
    })
    return response.redirect().toPath('/app')
  }

  /* POST /logout */
  async destroy(ctx: HttpContext) {
    const actor = ctx.actor!
    await audit({
      action: 'auth.logout',
      tenantId: actor.tenant.id,
      actorUserId: actor.user.id,
      meta: { via: 'web' },
    })
    await ctx.auth.use('web').logout()
    ctx.session.clear()
    ctx.session.flash('notice', 'You have signed out.')
    return ctx.response.redirect().toPath('/login')
  }
}
