import vine from '@vinejs/vine'

export const twoFactorCodeValidator = vine.compile(
  vine.object({
    code: vine.string().trim().minLength(6).maxLength(32),
  })
)
