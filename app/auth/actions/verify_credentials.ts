import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'
import { twoFactor } from '#auth/two_factor'

export const MAX_FAILED_LOGINS = 5
export const LOCKOUT_MINUTES = 15

/* A hash to compare against when the email is unknown, so timing does not tell. */
let dummyHash: string | undefined

/*
 * Checks email + password (+ TOTP when enrolled) for the web login and the
 * token exchange alike. Five failures lock the account for 15 minutes; while
 * locked, even the right password is refused. Every outcome is audited.
 */
export async function verifyCredentials(input: {
  email: string
  password: string
  otp?: string | null
}) {
  const user = await User.findBy('email', input.email)
  if (!user) {
    dummyHash ??= await hash.make('not-a-real-password')
    await hash.verify(dummyHash, input.password)
    await audit({
      action: 'auth.login.failed',
      tenantId: null,
      actorUserId: null,
      meta: { email: input.email, reason: 'unknown_email' },
    })
    throw invalidCredentials()
  }

  if (user.lockedUntil && user.lockedUntil > DateTime.utc()) {
    await audit({
      action: 'auth.login.locked',
      tenantId: null,
      actorUserId: user.id,
      meta: { lockedUntil: user.lockedUntil.toISO() },
    })
    throw new ApiError(
      423,
      'ACCOUNT_LOCKED',
      `Too many failed logins; this account is locked until ${user.lockedUntil.toISO()}`,
      {
        meta: { lockedUntil: user.lockedUntil.toISO() },
      }
    )
  }

  if (!(await hash.verify(user.password, input.password))) {
    await recordFailure(user, 'bad_password')
    throw invalidCredentials()
  }

  if (user.hasTwoFactor) {
    if (!input.otp) {
      throw new ApiError(
        401,
        'TWO_FACTOR_REQUIRED',
        'This account has two-factor authentication: send the 6-digit code as "otp"',
        {
          pointer: '/data/attributes/otp',
        }
      )
    }
    if (!(await twoFactor.verify(user, input.otp))) {
      await recordFailure(user, 'bad_otp')
      throw new ApiError(
        401,
        'INVALID_TWO_FACTOR_CODE',
        'The two-factor code is wrong or expired',
        { pointer: '/data/attributes/otp' }
      )
    }
  }

  if (user.failedLoginCount > 0 || user.lockedUntil) {
    user.failedLoginCount = 0
    user.lockedUntil = null
    await user.save()
  }
  return user
}

function invalidCredentials() {
  return new ApiError(401, 'INVALID_CREDENTIALS', 'The email or password is wrong')
}

/* Counted under a row lock, so parallel guesses cannot slip past the limit. */
async function recordFailure(user: User, reason: string) {
  const locked = await db.transaction(async (trx) => {
    const query = User.query({ client: trx }).where('id', user.id)
    if (trx.dialect.name === 'postgres') query.forUpdate()
    const fresh = await query.firstOrFail()
    fresh.failedLoginCount += 1
    const reachedLimit = fresh.failedLoginCount >= MAX_FAILED_LOGINS
    if (reachedLimit) {
      fresh.failedLoginCount = 0
      fresh.lockedUntil = DateTime.utc().plus({ minutes: LOCKOUT_MINUTES })
    }
    await fresh.save()
    return reachedLimit
  })
  await audit({
    action: 'auth.login.failed',
    tenantId: null,
    actorUserId: user.id,
    meta: { reason },
  })
  if (locked) {
    await audit({
      action: 'auth.lockout',
      tenantId: null,
      actorUserId: user.id,
      meta: { minutes: LOCKOUT_MINUTES },
    })
  }
}
