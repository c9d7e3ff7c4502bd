import { randomUUID } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { decryptSecret } from '#webhooks/secrets'
import {
  DELIVERY_ID_HEADER,
  EVENT_ID_HEADER,
  EVENT_NAME_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhookBody,
} from '#webhooks/signature'
import { targetPolicy, vetTarget } from '#webhooks/target_guard'

/* Retries after the first attempt: 1 min, 5 min, 15 min, 1 h, 6 h; then dead-letter. */
export const RETRY_DELAYS_MS = [60_000, 300_000, 900_000, 3_600_000, 21_600_000]
export const DEFAULT_TIMEOUT_MS = 10_000

export type DispatcherOptions = {
  delaysMs?: number[]
  /* per attempt, connection to end of response (default 10 s) */
  timeoutMs?: number
  batchSize?: number
  leaseMs?: number
  pollMs?: number
  now?: () => number
  /* default: targetPolicy.allowPrivate (WEBHOOKS_ALLOW_PRIVATE_TARGETS) */
  allowPrivateTargets?: () => boolean
}

/* "now" for a timestamp column written without a model, in the format Lucid reads back. */
export function timestampNow() {
  return DateTime.now().toFormat(db.connection().dialect.dateTimeFormat)
}

type DeliveryRow = {
  id: number | string
  tenant_id: number
  webhook_id: number
  event_id: string
  event_name: string
  body: string
  attempts: number
}

type AttemptResult = { ok: boolean; responseCode: number | null; error: string | null }

/*
 * POSTs `body` to the vetted address of `url` (the DNS answer that was checked
 * is the one connected to), no redirects followed; resolves with the status,
 * rejects on network errors and after `timeoutMs`.
 */
export async function postSigned(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean }
): Promise<number> {
  const { url, address, family } = await vetTarget(rawUrl, options.allowPrivate)
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) {
      ;(callback as any)(null, [{ address, family }])
    } else {
      callback(null, address, family)
    }
  }
  const client = url.protocol === 'https:' ? https : http
  return new Promise<number>((resolve, reject) => {
    const request = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'Plinth-Webhooks/1',
          ...headers,
        },
      },
      (response) => {
        // read (and drop) the answer so the socket closes cleanly
        response.on('data', () => {})
        response.on('end', () => resolve(response.statusCode ?? 0))
        response.on('error', reject)
      }
    )
    const timer = setTimeout(
      () => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs
    )
    request.on('error', reject)
    request.on('close', () => clearTimeout(timer))
    request.end(body)
  })
}

/*
 * Sends due webhook deliveries. Claims rows with a lease (SKIP LOCKED on
 * PostgreSQL), so several processes share the work and a crashed sender's rows
 * are picked up again; logs every attempt; schedules retries and dead-letters
 * after the last one.
 */
export class WebhookDispatcher {
  readonly id = `webhooks-${randomUUID().slice(0, 8)}`
  #options: Required<Omit<DispatcherOptions, 'allowPrivateTargets'>>
  #allowPrivate: () => boolean
  #claims = 0
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> | null = null
  #again = false
  #stopped = true

  constructor(options: DispatcherOptions = {}) {
    this.#options = {
      delaysMs: options.delaysMs ?? RETRY_DELAYS_MS,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      batchSize: options.batchSize ?? 20,
      leaseMs: options.leaseMs ?? 60_000,
      pollMs: options.pollMs ?? 1000,
      now: options.now ?? Date.now,
    }
    this.#allowPrivate = options.allowPrivateTargets ?? (() => targetPolicy.allowPrivate)
  }

  get delaysMs() {
    return this.#options.delaysMs
  }

  /* Sends everything due now; returns how many attempts were made. */
  async drain(maxRounds = 100): Promise<number> {
    let attempts = 0
    for (let round = 0; round < maxRounds; round++) {
      const sent = await this.runOnce()
      attempts += sent
      if (sent === 0) break
    }
    return attempts
  }

  async runOnce(): Promise<number> {
    const { rows, token } = await this.#claim()
    await Promise.all(rows.map((row) => this.#attempt(row, token)))
    return rows.length
  }

  start() {
    if (!this.#stopped) return
    this.#stopped = false
    this.nudge()
  }

  nudge() {
    if (this.#stopped) return
    if (this.#running) {
      this.#again = true
      return
    }
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    this.#running = this.drain()
      .then(() => {})
      .catch((error) => logger.error({ err: error }, 'webhook dispatch round failed'))
      .finally(() => {
        this.#running = null
        if (this.#stopped) return
        if (this.#again) {
          this.#again = false
          this.nudge()
        } else {
          this.#timer = setTimeout(() => this.nudge(), this.#options.pollMs)
          this.#timer.unref?.()
        }
      })
  }

  async stop() {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    await this.#running
  }

  async #claim(): Promise<{ rows: DeliveryRow[]; token: string }> {
    const now = this.#options.now()
    const token = `${this.id}:${++this.#claims}`
    const postgres = db.connection().dialect.name === 'postgres'
    const ids = await db.transaction(async (trx) => {
      const candidates = await trx
        .from('webhook_deliveries')
        .select('id')
        .whereIn('status', ['pending', 'retrying'])
        .where('next_attempt_at', '<=', now)
        .where('locked_until', '<=', now)
        .orderBy('next_attempt_at', 'asc')
        .orderBy('id', 'asc')
        .limit(this.#options.batchSize)
        .if(postgres, (query) => query.forUpdate().skipLocked())
      if (candidates.length === 0) return []
      const candidateIds = candidates.map((candidate: { id: number | string }) => candidate.id)
      await trx
        .from('webhook_deliveries')
        .whereIn('id', candidateIds)
        .whereIn('status', ['pending', 'retrying'])
        .where('locked_until', '<=', now)
        .update({ locked_until: now + this.#options.leaseMs, locked_by: token })
      return candidateIds
    })
    if (ids.length === 0) return { rows: [], token }
    const rows: DeliveryRow[] = await db
      .from('webhook_deliveries')
      .whereIn('id', ids)
      .where('locked_by', token)
    return { rows, token }
  }

  async #attempt(row: DeliveryRow, token: string) {
    const deliveryId = Number(row.id)
    const webhook = await db.from('webhooks').where('id', row.webhook_id).first()
    const attempt = Number(row.attempts) + 1
    const started = performance.now()
    let result: AttemptResult
    if (!webhook || !webhook.active) {
      result = { ok: false, responseCode: null, error: 'The webhook is inactive' }
    } else {
      const timestamp = Math.floor(this.#options.now() / 1000)
      try {
        const status = await postSigned(
          webhook.url,
          row.body,
          {
            [EVENT_ID_HEADER]: row.event_id,
            [EVENT_NAME_HEADER]: row.event_name,
            [DELIVERY_ID_HEADER]: String(deliveryId),
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signWebhookBody(decryptSecret(webhook.secret), timestamp, row.body),
          },
          { timeoutMs: this.#options.timeoutMs, allowPrivate: this.#allowPrivate() }
        )
        const ok = status >= 200 && status < 300
        result = { ok, responseCode: status, error: ok ? null : `HTTP ${status}` }
      } catch (error: any) {
        result = { ok: false, responseCode: null, error: String(error?.message ?? error) }
      }
    }
    const durationMs = Math.round(performance.now() - started)
    const now = this.#options.now()
    const inactive = !webhook || !webhook.active
    const dead = !result.ok && (inactive || attempt > this.#options.delaysMs.length)
    const error = result.error?.slice(0, 2000) ?? null

    await db.transaction(async (trx) => {
      await trx
        .insertQuery()
        .table('webhook_delivery_attempts')
        .insert({
          tenant_id: row.tenant_id,
          delivery_id: deliveryId,
          attempt,
          status: result.ok ? 'succeeded' : 'failed',
          response_code: result.responseCode,
          duration_ms: durationMs,
          error,
          attempted_at: now,
        })
      await trx
        .from('webhook_deliveries')
        .where('id', deliveryId)
        .where('locked_by', token)
        .update({
          attempts: attempt,
          status: result.ok ? 'succeeded' : dead ? 'dead' : 'retrying',
          next_attempt_at: result.ok || dead ? null : now + this.#options.delaysMs[attempt - 1],
          response_code: result.responseCode,
          duration_ms: durationMs,
          error,
          delivered_at: result.ok ? now : null,
          dead_lettered_at: dead ? now : null,
          locked_until: 0,
          locked_by: null,
          updated_at: timestampNow(),
        })
    })
    if (dead) {
      logger.warn(
        { deliveryId, webhookId: row.webhook_id, event: row.event_name, attempts: attempt },
        'webhook delivery dead-lettered'
      )
    }
  }
}

/* The dispatcher of this process (started by the events provider where it should run). */
export const webhookDispatcher = new WebhookDispatcher()
