import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { tenantContext } from '#tenancy/tenant_context'
import { actorForToken } from '#tenancy/resolve_actor'
import { ApiError } from '#http/api_error'

/*
 * Bearer-token authentication for /api/v1: the token names its tenant, the
 * membership gives the role, and the rest of the request runs in that tenant.
 */
export default class ApiAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = await ctx.auth.authenticateUsing(['api'])
    const token = ctx.auth.use('api').user!.currentAccessToken
    const actor = await actorForToken(user, Number(token.identifier))
    if (!actor) {
      throw new ApiError(401, 'UNAUTHENTICATED', 'This token no longer grants access to its tenant')
    }
    ctx.actor = actor
    return tenantContext.run(actor.tenant.id, () => next())
  }
}
