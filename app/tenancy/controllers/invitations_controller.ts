import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { acceptInvitationValidator } from '#tenancy/validators/tenant_validator'
import { validateAttributes, single } from '#http/envelope'
import { userResource } from '#tenancy/resources'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'

export default class InvitationsController {
  /* POST /api/v1/invitations/:id/accept?signature=...: the invited person sets a password */
  async accept(ctx: HttpContext) {
    if (!ctx.request.hasValidSignature('invitation')) {
      throw new ApiError(403, 'INVITATION_INVALID', 'This invitation link is invalid or expired')
    }
    const { password } = await validateAttributes(ctx, acceptInvitationValidator)
    const user = await User.find(ctx.params.id)
    if (!user || !user.invitationPending) {
      throw new ApiError(409, 'INVITATION_USED', 'This invitation has already been accepted')
    }
    user.password = password
    user.invitationPending = false
    await user.save()
    await audit({
      action: 'member.invitation_accepted',
      tenantId: null,
      actorUserId: user.id,
      subjectType: 'user',
      subjectId: user.id,
    })
    return single(userResource(user))
  }
}
