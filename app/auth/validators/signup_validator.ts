import vine from '@vinejs/vine'
import { passwordRule } from '#auth/validators/password_rule'

export const tenantSlug = () =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .minLength(3)
    .maxLength(63)
    .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/)

export const personName = () => vine.string().trim().minLength(1).maxLength(200)

export const email = () => vine.string().trim().toLowerCase().maxLength(254).email()

export const signupValidator = vine.compile(
  vine.object({
    tenantName: vine.string().trim().minLength(2).maxLength(200),
    tenantSlug: tenantSlug(),
    fullName: personName(),
    email: email(),
    password: passwordRule(),
  })
)
