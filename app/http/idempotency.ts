import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#http/api_error'

/*
 * Idempotency-Key on POST (PLATFORM.md section 6): the first answer to a key
 * is stored and replayed on retries, so a client that lost the response can
 * retry without acting twice.
 */

export const IDEMPOTENCY_HEADER = 'Idempotency-Key'
export const REPLAYED_HEADER = 'Idempotent-Replayed'

/* keys are remembered for a day */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000
/* an in-flight row older than this belongs to a request that died (crash, kill): it may be taken over */
export const IN_FLIGHT_TIMEOUT_MS = 5 * 60 * 1000
const CLEANUP_EVERY_MS = 60 * 1000

const TABLE = 'idempotency_keys'
const KEY_PATTERN = /^[\x20-\x7E]{1,255}$/

export type StoredAnswer = { status: number; body: unknown }

export type Claim =
  | { outcome: 'claimed'; id: number | string }
  | { outcome: 'replay'; answer: StoredAnswer }
  | { outcome: 'in_progress' }
  | { outcome: 'reused' }

/* An error about a request header: its source names the header. */
class HeaderError extends ApiError {
  toErrorObject() {
    return { ...super.toErrorObject(), source: { header: IDEMPOTENCY_HEADER } }
  }
}

export function parseKey(raw: string | undefined | null): string | null {
  if (raw === undefined || raw === null) return null
  const key = raw.trim()
  if (!KEY_PATTERN.test(key)) {
    throw new HeaderError(
      400,
      'IDEMPOTENCY_KEY_INVALID',
      `${IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters`
    )
  }
  return key
}

/* Same key, different request: refused rather than silently replaying the wrong answer. */
export const keyReused = () =>
  new HeaderError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    `This ${IDEMPOTENCY_HEADER} was already used for a different request; use a new key`
  )

export const requestInProgress = () =>
  new HeaderError(
    409,
    'IDEMPOTENCY_REQUEST_IN_PROGRESS',
    `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly`,
    { headers: { 'Retry-After': '1' } }
  )

/* Who the key belongs to: the token's user in its tenant, or the client IP on public routes. */
export function scopeOf(ctx: HttpContext) {
  if (ctx.actor) return `user:${ctx.actor.user.id}:tenant:${ctx.actor.tenant.id}`
  return `ip:${ctx.request.ip()}`
}

/* Key order in JSON does not make a different request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])])
    )
  }
  return value
}

export function requestHash(method: string, path: string, body: unknown) {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${JSON.stringify(canonical(body ?? null))}`)
    .digest('hex')
}

function isUniqueViolation(error: unknown) {
  const code = (error as { code?: string })?.code
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  )
}

/* SQLite hands timestamps back as epoch milliseconds, PostgreSQL as Date. */
function toMillis(value: unknown) {
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'number') return value
  return new Date(String(value)).getTime()
}

let lastCleanup = 0

/* Expired keys are deleted on write, at most once a minute per process. */
async function cleanupExpired(now: number) {
  if (now - lastCleanup < CLEANUP_EVERY_MS) return
  lastCleanup = now
  await db
    .from(TABLE)
    .where('created_at', '<', new Date(now - KEY_TTL_MS))
    .delete()
}

/*
 * Claims the key by inserting its row first: the unique (scope, key) index
 * decides between concurrent duplicates, so only one of them runs.
 */
export async function claim(scope: string, key: string, hash: string, attempt = 0): Promise<Claim> {
  const now = Date.now()
  await cleanupExpired(now)
  try {
    const [row] = await db
      .table(TABLE)
      .insert({ scope, key, request_hash: hash, created_at: new Date(now) })
      .returning('id')
    const id = typeof row === 'object' && row !== null ? (row as { id: number }).id : row
    return { outcome: 'claimed', id }
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
  }

  const existing = await db.from(TABLE).where({ scope, key }).first()
  if (!existing) {
    // deleted between our insert and this read (expired, or its 5xx answer was dropped)
    if (attempt < 2) return claim(scope, key, hash, attempt + 1)
    return { outcome: 'in_progress' }
  }
  const age = now - toMillis(existing.created_at)
  const abandoned = existing.status_code === null && age > IN_FLIGHT_TIMEOUT_MS
  if ((age > KEY_TTL_MS || abandoned) && attempt < 2) {
    await db.from(TABLE).where('id', existing.id).delete()
    return claim(scope, key, hash, attempt + 1)
  }
  if (existing.request_hash !== hash) return { outcome: 'reused' }
  if (existing.status_code === null) return { outcome: 'in_progress' }
  return {
    outcome: 'replay',
    answer: { status: existing.status_code, body: decodeBody(existing.response_body) },
  }
}

/* Response bodies can hold secrets (a new token's value): encrypted at rest with the app key. */
function encodeBody(body: unknown) {
  return body === undefined || body === null ? null : encryption.encrypt(JSON.stringify(body))
}

function decodeBody(stored: string | null) {
  if (stored === null) return null
  const json = encryption.decrypt<string>(stored)
  return json === null ? null : JSON.parse(json)
}

export async function complete(id: number | string, answer: StoredAnswer) {
  await db
    .from(TABLE)
    .where('id', id)
    .update({ status_code: answer.status, response_body: encodeBody(answer.body) })
}

/* A 5xx (or an answer that cannot be stored) frees the key: the client may retry. */
export async function release(id: number | string) {
  await db.from(TABLE).where('id', id).delete()
}
