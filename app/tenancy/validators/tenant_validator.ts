import vine from '@vinejs/vine'
import { tenantSlug } from '#auth/validators/signup_validator'
import { passwordRule } from '#auth/validators/password_rule'

export const createTenantValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(200),
    slug: tenantSlug(),
  })
)

export const updateTenantValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(2).maxLength(200).optional(),
    requireTwoFactor: vine.boolean({ strict: true }).optional(),
  })
)

export const acceptInvitationValidator = vine.compile(
  vine.object({
    password: passwordRule(),
  })
)
