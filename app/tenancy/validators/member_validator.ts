import vine from '@vinejs/vine'
import { email, personName } from '#auth/validators/signup_validator'

const roleKey = () => vine.string().trim().toLowerCase().maxLength(63)

export const addMemberValidator = vine.compile(
  vine.object({
    email: email(),
    /* needed when the email has no Plinth account yet */
    fullName: personName().optional(),
    role: roleKey(),
  })
)

export const changeMemberRoleValidator = vine.compile(
  vine.object({
    role: roleKey(),
  })
)
