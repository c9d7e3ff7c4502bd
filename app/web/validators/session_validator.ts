import vine from '@vinejs/vine'
import { email, tenantSlug } from '#auth/validators/signup_validator'

/* The login form: the tenant is optional (the first membership otherwise). */
export const loginValidator = vine.compile(
  vine.object({
    email: email(),
    password: vine.string().maxLength(128),
    tenant: tenantSlug().optional(),
    /* second step, for accounts with two-factor: a TOTP code or a recovery code */
    otp: vine.string().trim().maxLength(32).optional(),
  })
)

export const switchTenantValidator = vine.compile(
  vine.object({
    tenantId: vine.number().withoutDecimals().positive(),
  })
)
