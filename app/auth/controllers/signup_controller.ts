import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { signupValidator } from '#auth/validators/signup_validator'
import { createTenant } from '#tenancy/actions/create_tenant'
import { issueToken } from '#auth/actions/issue_token'
import { validateAttributes, single } from '#http/envelope'
import { tenantResource, userResource } from '#tenancy/resources'
import { ApiError } from '#http/api_error'

export default class SignupController {
  /* POST /api/v1/signup: a new tenant, its owner, and a first API token. */
  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, signupValidator)
    if (await User.findBy('email', input.email)) {
      throw new ApiError(
        409,
        'EMAIL_TAKEN',
        'An account with this email exists: sign in and create the tenant from there',
        {
          pointer: '/data/attributes/email',
        }
      )
    }
    const { tenant, owner } = await createTenant({
      name: input.tenantName,
      slug: input.tenantSlug,
      owner: (trx) =>
        User.create(
          { email: input.email, fullName: input.fullName, password: input.password },
          { client: trx }
        ),
    })
    const token = await issueToken(owner, tenant.id, { name: 'signup' })
    ctx.response.status(201)
    return single(tenantResource(tenant), { owner: userResource(owner), token })
  }
}
