import { randomBytes } from 'node:crypto'
import encryption from '@adonisjs/core/services/encryption'

/* Webhook signing secrets: generated when none is given, encrypted at rest with the app key. */
export function generateSecret() {
  return `whsec_${randomBytes(24).toString('base64url')}`
}

export function encryptSecret(secret: string) {
  return encryption.encrypt(secret)
}

export function decryptSecret(stored: string): string {
  const secret = encryption.decrypt<string>(stored)
  if (typeof secret !== 'string')
    throw new Error('A webhook secret cannot be decrypted (APP_KEY changed?)')
  return secret
}

/* What is shown after creation: enough to tell secrets apart, not to use one. */
export function secretHint(secret: string) {
  return `…${secret.slice(-4)}`
}
