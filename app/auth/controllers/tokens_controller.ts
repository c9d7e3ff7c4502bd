import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import Tenant from '#models/tenant'
import { createTokenValidator } from '#auth/validators/token_validator'
import { verifyCredentials } from '#auth/actions/verify_credentials'
import { issueToken } from '#auth/actions/issue_token'
import { actorForTenant } from '#tenancy/resolve_actor'
import { validateAttributes, resource, single } from '#http/envelope'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'

export default class TokensController {
  /* POST /api/v1/auth/tokens: email + password (+ otp) + tenant slug -> bearer token. */
  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createTokenValidator)
    const user = await verifyCredentials(input)
    const tenant = await Tenant.findBy('slug', input.tenant)
    const actor = tenant ? await actorForTenant(user, tenant.id) : null
    if (!tenant || !actor) {
      // same answer for an unknown tenant and one the user is not in: slugs do not leak
      throw new ApiError(404, 'TENANT_NOT_FOUND', `No tenant "${input.tenant}" for this account`, {
        pointer: '/data/attributes/tenant',
      })
    }
    const token = await issueToken(user, tenant.id, {
      name: input.name,
      expiresInDays: input.expiresInDays,
    })
    await audit({
      action: 'auth.login.succeeded',
      tenantId: tenant.id,
      actorUserId: user.id,
      meta: { via: 'api' },
    })
    ctx.response.status(201)
    const { id, ...attributes } = token
    return single(resource('token', id, attributes))
  }

  /* DELETE /api/v1/auth/tokens/current: revokes the token that made the request. */
  async destroy(ctx: HttpContext) {
    const actor = ctx.actor!
    await User.accessTokens.delete(actor.user, actor.tokenId!)
    await audit({
      action: 'auth.token.revoked',
      subjectType: 'token',
      subjectId: String(actor.tokenId),
    })
    return ctx.response.noContent()
  }
}
