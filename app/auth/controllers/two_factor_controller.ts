import type { HttpContext } from '@adonisjs/core/http'
import { twoFactor } from '#auth/two_factor'
import { twoFactorCodeValidator } from '#auth/validators/two_factor_validator'
import { validateAttributes, resource, single } from '#http/envelope'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'

/* TOTP enrollment for the signed-in user: enroll -> confirm (recovery codes) -> disable. */
export default class TwoFactorController {
  /* GET: is it on, and how many recovery codes are left */
  async show({ actor }: HttpContext) {
    const user = actor!.user
    return single(
      resource('two-factor', user.id, {
        enabled: user.hasTwoFactor,
        enabledAt: user.totpEnabledAt?.toISO() ?? null,
        recoveryCodesLeft: user.hasTwoFactor ? twoFactor.remainingRecoveryCodes(user) : 0,
      })
    )
  }

  /* POST .../enroll: a new secret with its QR code, pending until confirmed */
  async enroll(ctx: HttpContext) {
    const user = ctx.actor!.user
    if (user.hasTwoFactor) {
      throw new ApiError(
        409,
        'TWO_FACTOR_ALREADY_ENABLED',
        'Two-factor is already on; disable it first to enroll a new device'
      )
    }
    const enrollment = await twoFactor.beginEnrollment(user)
    await audit({
      action: 'auth.two_factor.enrollment_started',
      subjectType: 'user',
      subjectId: user.id,
    })
    ctx.response.status(201)
    return single(resource('two-factor-enrollment', user.id, enrollment))
  }

  /* POST .../confirm: the first code from the app turns it on; recovery codes are shown once */
  async confirm(ctx: HttpContext) {
    const user = ctx.actor!.user
    const { code } = await validateAttributes(ctx, twoFactorCodeValidator)
    if (user.hasTwoFactor)
      throw new ApiError(409, 'TWO_FACTOR_ALREADY_ENABLED', 'Two-factor is already on')
    if (!user.totpSecret)
      throw new ApiError(
        409,
        'TWO_FACTOR_NOT_ENROLLING',
        'Start with POST /api/v1/auth/two-factor/enroll'
      )
    const recoveryCodes = await twoFactor.confirmEnrollment(user, code)
    if (!recoveryCodes)
      throw new ApiError(422, 'INVALID_TWO_FACTOR_CODE', 'The code is wrong or expired', {
        pointer: '/data/attributes/code',
      })
    await audit({ action: 'auth.two_factor.enabled', subjectType: 'user', subjectId: user.id })
    return single(resource('two-factor', user.id, { enabled: true, recoveryCodes }))
  }

  /* POST .../disable: needs a current code (or a recovery code) */
  async disable(ctx: HttpContext) {
    const actor = ctx.actor!
    const { code } = await validateAttributes(ctx, twoFactorCodeValidator)
    if (!actor.user.hasTwoFactor)
      throw new ApiError(409, 'TWO_FACTOR_NOT_ENABLED', 'Two-factor is not on')
    if (['owner', 'admin'].includes(actor.role.key) && actor.tenant.requireTwoFactor) {
      throw new ApiError(
        409,
        'TWO_FACTOR_REQUIRED_BY_TENANT',
        'This tenant requires two-factor for owners and admins'
      )
    }
    if (!(await twoFactor.verify(actor.user, code))) {
      throw new ApiError(422, 'INVALID_TWO_FACTOR_CODE', 'The code is wrong or expired', {
        pointer: '/data/attributes/code',
      })
    }
    await twoFactor.disable(actor.user)
    await audit({
      action: 'auth.two_factor.disabled',
      subjectType: 'user',
      subjectId: actor.user.id,
    })
    return single(resource('two-factor', actor.user.id, { enabled: false }))
  }
}
