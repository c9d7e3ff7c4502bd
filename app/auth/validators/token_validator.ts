import vine from '@vinejs/vine'
import { email, tenantSlug } from '#auth/validators/signup_validator'

export const createTokenValidator = vine.compile(
  vine.object({
    email: email(),
    password: vine.string().maxLength(128),
    tenant: tenantSlug(),
    /* a TOTP code or a recovery code, for users with two-factor enabled */
    otp: vine.string().trim().maxLength(32).optional(),
    name: vine.string().trim().maxLength(100).optional(),
    /* lifetime in days, 1 to 365 */
    expiresInDays: vine.number().withoutDecimals().range([1, 365]).optional(),
  })
)
