import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { tenantContext } from '#tenancy/tenant_context'
import { actorForBearerToken } from '#tenancy/resolve_actor'
import { ApiError } from '#http/api_error'
import type { Actor } from '#tenancy/actor'

/* Routes an owner/admin may still use while the tenant demands two-factor they lack. */
const TWO_FACTOR_SETUP_ROUTES = new Set([
  'api.me',
  'api.auth.tokens.destroy',
  'api.auth.two_factor.show',
  'api.auth.two_factor.enroll',
  'api.auth.two_factor.confirm',
])

export function mustEnrollTwoFactor(actor: Actor) {
  return (
    actor.tenant.requireTwoFactor &&
    ['owner', 'admin'].includes(actor.role.key) &&
    !actor.user.hasTwoFactor
  )
}

/*
 * Bearer-token authentication for /api/v1: the token names its tenant, the
 * membership gives the role, and the rest of the request runs in that tenant.
 * One query resolves all of it (see actorForBearerToken); the token format and
 * hashing are the @adonisjs/auth access tokens'.
 */
export default class ApiAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const [scheme, value] = (ctx.request.header('authorization') ?? '').split(' ')
    const actor =
      scheme?.toLowerCase() === 'bearer' && value ? await actorForBearerToken(value) : null
    if (!actor) {
      throw new ApiError(401, 'UNAUTHENTICATED', 'A valid bearer token is required', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      })
    }
    if (mustEnrollTwoFactor(actor) && !TWO_FACTOR_SETUP_ROUTES.has(ctx.route?.name ?? '')) {
      throw new ApiError(
        403,
        'TWO_FACTOR_ENROLLMENT_REQUIRED',
        'This tenant requires owners and admins to turn on two-factor first: POST /api/v1/auth/two-factor/enroll'
      )
    }
    ctx.actor = actor
    return tenantContext.run(actor.tenant.id, () => next())
  }
}
