import vine from '@vinejs/vine'

/* Patterns found at the top of every breached-password list. */
const BREACHED = [
  /^(.)\1+$/,
  /^(?:0?1234567890?|12345678|123456789|87654321|11111111)$/,
  /^(?:password|passw0rd|p@ssw0rd|qwerty|qwertyuiop|letmein|welcome|iloveyou|admin|abc123|monkey|dragon|football|baseball|trustno1|sunshine|princess|master|login)\d*!?$/i,
]

const notBreached = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  if (BREACHED.some((pattern) => pattern.test(value))) {
    field.report(
      'This password is on lists of breached passwords; choose another',
      'breachedPassword',
      field
    )
  }
})

/* At least 8 characters, at most 128 (bcrypt reads 72 bytes), not a known breached pattern. */
export const passwordRule = () => vine.string().minLength(8).maxLength(128).use(notBreached())
