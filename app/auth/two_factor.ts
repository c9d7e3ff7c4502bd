import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { DateTime } from 'luxon'
import * as OTPAuth from 'otpauth'
import QRCode from 'qrcode'
import encryption from '@adonisjs/core/services/encryption'
import type User from '#models/user'

/*
 * TOTP (RFC 6238, SHA-1, 6 digits, 30 s) two-factor authentication. The secret
 * is encrypted with APP_KEY at rest; recovery codes are stored as SHA-256 hashes
 * (they are random, so a slow hash adds nothing) and each works once.
 */
const ISSUER = 'Plinth'
const RECOVERY_CODE_COUNT = 10

function totpFor(user: User, secretBase32: string) {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label: user.email,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  })
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

function normalizeRecoveryCode(code: string) {
  return code
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

export const twoFactor = {
  /* Starts enrollment: a fresh secret, kept pending until a code confirms it. */
  async beginEnrollment(user: User) {
    const secret = new OTPAuth.Secret({ size: 20 }).base32
    user.totpSecret = encryption.encrypt(secret)
    user.totpEnabledAt = null
    await user.save()
    const uri = totpFor(user, secret).toString()
    return { secret, otpauthUrl: uri, qrCodeDataUrl: await QRCode.toDataURL(uri) }
  },

  /* Confirms enrollment with a first valid code and hands out recovery codes once. */
  async confirmEnrollment(user: User, code: string): Promise<string[] | null> {
    if (!user.totpSecret || user.totpEnabledAt) return null
    if (!this.verifyTotp(user, code)) return null
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const raw = randomBytes(5).toString('hex')
      return `${raw.slice(0, 5)}-${raw.slice(5)}`
    })
    user.totpRecoveryCodes = JSON.stringify(codes.map((c) => sha256(normalizeRecoveryCode(c))))
    user.totpEnabledAt = DateTime.utc()
    await user.save()
    return codes
  },

  async disable(user: User) {
    user.totpSecret = null
    user.totpEnabledAt = null
    user.totpRecoveryCodes = null
    await user.save()
  },

  verifyTotp(user: User, code: string): boolean {
    if (!user.totpSecret) return false
    const secret = encryption.decrypt<string>(user.totpSecret)
    if (!secret || !/^\d{6}$/.test(code.trim())) return false
    return totpFor(user, secret).validate({ token: code.trim(), window: 1 }) !== null
  },

  /* A TOTP code, or a recovery code that is then used up. */
  async verify(user: User, code: string): Promise<boolean> {
    if (!user.hasTwoFactor) return false
    if (this.verifyTotp(user, code)) return true
    const hashes: string[] = JSON.parse(user.totpRecoveryCodes ?? '[]')
    const candidate = Buffer.from(sha256(normalizeRecoveryCode(code)))
    const index = hashes.findIndex((h) => timingSafeEqual(Buffer.from(h), candidate))
    if (index === -1) return false
    hashes.splice(index, 1)
    user.totpRecoveryCodes = JSON.stringify(hashes)
    await user.save()
    return true
  },

  remainingRecoveryCodes(user: User): number {
    return JSON.parse(user.totpRecoveryCodes ?? '[]').length
  },

  /* Test and tooling helper: the code an authenticator app would show now. */
  currentCode(secretBase32: string, label = 'x'): string {
    return new OTPAuth.TOTP({
      issuer: ISSUER,
      label,
      secret: OTPAuth.Secret.fromBase32(secretBase32),
    }).generate()
  },
}
