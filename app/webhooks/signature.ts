import { createHmac, timingSafeEqual } from 'node:crypto'

/*
 * Webhook signatures. Every delivery carries
 *   Plinth-Timestamp: <unix seconds>
 *   Plinth-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 * A receiver recomputes the HMAC over the raw bytes it received, compares in
 * constant time, and refuses timestamps outside its tolerance (replays).
 */
export const SIGNATURE_HEADER = 'Plinth-Signature'
export const TIMESTAMP_HEADER = 'Plinth-Timestamp'
export const EVENT_ID_HEADER = 'Plinth-Event-Id'
export const EVENT_NAME_HEADER = 'Plinth-Event'
export const DELIVERY_ID_HEADER = 'Plinth-Delivery-Id'

export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
  return `v1=${digest}`
}

/*
 * For receivers: true when `signature` (the Plinth-Signature header) is the
 * HMAC of this body at this timestamp and the timestamp is within
 * `toleranceSec` of now (default 5 minutes).
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number,
  body: string | Buffer,
  signature: string,
  toleranceSec = 300,
  nowSec = Math.floor(Date.now() / 1000)
): boolean {
  const seconds = typeof timestamp === 'number' ? timestamp : Number(timestamp)
  if (!Number.isSafeInteger(seconds) || String(timestamp).trim() === '') return false
  if (Math.abs(nowSec - seconds) > toleranceSec) return false
  const expected = Buffer.from(signWebhookBody(secret, seconds, body.toString()))
  const given = Buffer.from(String(signature))
  return given.length === expected.length && timingSafeEqual(given, expected)
}
