import type { HttpContext } from '@adonisjs/core/http'
import QRCode from 'qrcode'
import { twoFactor } from '#auth/two_factor'
import { twoFactorCodeValidator } from '#auth/validators/two_factor_validator'
import { audit } from '#audit/audit_log'
import type { SecurityProps } from '#web/page_props'

/*
 * The pending enrollment lives in the session between "start" and "confirm".
 * Only the otpauth URL is kept (the QR image is drawn again from it), so the
 * session stays small enough for the cookie store.
 */
const ENROLLMENT_KEY = 'twoFactorEnrollment'
type PendingEnrollment = { secret: string; otpauthUrl: string }

const back = (ctx: HttpContext) => ctx.response.redirect().toPath('/app/security')

/* The web face of TOTP: the same rules as /api/v1/auth/two-factor. */
export default class SecurityController {
  async show({ actor, inertia, session }: HttpContext) {
    const user = actor!.user
    const pending = session.get(ENROLLMENT_KEY) as PendingEnrollment | undefined
    const enrolling = !user.hasTwoFactor && !!user.totpSecret && !!pending
    const props: SecurityProps = {
      twoFactor: {
        enabled: user.hasTwoFactor,
        enabledAt: user.totpEnabledAt?.toISO() ?? null,
        recoveryCodesLeft: user.hasTwoFactor ? twoFactor.remainingRecoveryCodes(user) : 0,
      },
      enrollment: enrolling
        ? { secret: pending.secret, qrCodeDataUrl: await QRCode.toDataURL(pending.otpauthUrl) }
        : null,
      recoveryCodes: (session.flashMessages.get('recoveryCodes') as string[] | undefined) ?? null,
      requiredByTenant:
        actor!.tenant.requireTwoFactor && ['owner', 'admin'].includes(actor!.role.key),
    }
    return inertia.render('security', props)
  }

  /* POST /app/security/two-factor: a fresh secret, pending until a code confirms it */
  async enroll(ctx: HttpContext) {
    const user = ctx.actor!.user
    if (user.hasTwoFactor) {
      ctx.session.flashErrors({
        form: 'Two-factor is already on; turn it off first to use a new device.',
      })
      return back(ctx)
    }
    const { secret, otpauthUrl } = await twoFactor.beginEnrollment(user)
    ctx.session.put(ENROLLMENT_KEY, { secret, otpauthUrl } satisfies PendingEnrollment)
    await audit({
      action: 'auth.two_factor.enrollment_started',
      subjectType: 'user',
      subjectId: user.id,
    })
    return back(ctx)
  }

  /* POST /app/security/two-factor/confirm: the first code turns it on; recovery codes are shown once */
  async confirm(ctx: HttpContext) {
    const user = ctx.actor!.user
    const { code } = await ctx.request.validateUsing(twoFactorCodeValidator)
    if (user.hasTwoFactor) {
      ctx.session.flashErrors({ form: 'Two-factor is already on.' })
      return back(ctx)
    }
    const recoveryCodes = user.totpSecret ? await twoFactor.confirmEnrollment(user, code) : null
    if (!recoveryCodes) {
      ctx.session.flashErrors({
        code: 'That code is wrong or expired; enter the one your app shows now.',
      })
      return back(ctx)
    }
    ctx.session.forget(ENROLLMENT_KEY)
    ctx.session.flash('recoveryCodes', recoveryCodes)
    ctx.session.flash('notice', 'Two-factor authentication is on.')
    await audit({ action: 'auth.two_factor.enabled', subjectType: 'user', subjectId: user.id })
    return back(ctx)
  }

  /* POST /app/security/two-factor/disable: needs a current code or a recovery code */
  async disable(ctx: HttpContext) {
    const actor = ctx.actor!
    const { code } = await ctx.request.validateUsing(twoFactorCodeValidator)
    if (!actor.user.hasTwoFactor) {
      ctx.session.flashErrors({ form: 'Two-factor is not on.' })
      return back(ctx)
    }
    if (actor.tenant.requireTwoFactor && ['owner', 'admin'].includes(actor.role.key)) {
      ctx.session.flashErrors({
        form: `${actor.tenant.name} requires two-factor for owners and admins.`,
      })
      return back(ctx)
    }
    if (!(await twoFactor.verify(actor.user, code))) {
      ctx.session.flashErrors({ code: 'That code is wrong or expired.' })
      return back(ctx)
    }
    await twoFactor.disable(actor.user)
    ctx.session.forget(ENROLLMENT_KEY)
    ctx.session.flash('notice', 'Two-factor authentication is off.')
    await audit({
      action: 'auth.two_factor.disabled',
      subjectType: 'user',
      subjectId: actor.user.id,
    })
    return back(ctx)
  }
}
