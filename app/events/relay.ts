import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { tenantContext } from '#tenancy/tenant_context'
import {
  events as defaultEvents,
  type DomainEvent,
  type Events,
  type Subscriber,
} from '#events/events'

/*
 * Moves committed outbox rows to their subscribers.
 *
 * - Claims pending rows with a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so
 *   any number of relays in any number of processes share the work; SQLite has
 *   one writer). A relay that dies mid-batch loses its lease and another one
 *   picks the rows up: nothing committed is lost, delivery is at least once.
 * - Order per aggregate: only the oldest pending event of an aggregate can be
 *   claimed, so a later event waits while an earlier one is pending or failing.
 * - Per-subscriber receipts: when one subscriber fails, the ones that
 *   succeeded are not run again on the retry.
 * - Queued subscribers get a job (#jobs) instead of an in-process call; the
 *   event counts as delivered to them once the job has run.
 */
export type RelayOptions = {
  events?: Events
  /* rows claimed per round (default 100) */
  batchSize?: number
  /* how long a claim is held before another relay may take the rows (default 60 s) */
  leaseMs?: number
  /* delay before retry number n of a failing event (default 1 s doubling, capped at 5 min) */
  backoff?: (attempt: number) => number
  /* failed runs after which the event is dead-lettered (default 10) */
  maxAttempts?: number
  /* how often a started relay looks for work without being nudged (default 1 s) */
  pollMs?: number
  /* how soon an event waiting for its queued subscribers is looked at again (default 500 ms) */
  queuedRecheckMs?: number
  /* injectable clock (epoch ms), for tests */
  now?: () => number
  /* hands a queued subscriber's event to the job queue; set by #events/queued */
  dispatchQueued?: (event: DomainEvent, subscriber: Subscriber, outboxId: number) => Promise<void>
}

type OutboxRow = {
  id: number | string
  event_id: string
  name: string
  version: number
  tenant_id: number | null
  aggregate_type: string
  aggregate_id: string
  payload: string
  attempts: number
  occurred_at: number | string
}

export type RelayRound = { claimed: number; delivered: number; failed: number; waiting: number }

export function toDomainEvent(row: OutboxRow): DomainEvent {
  return {
    id: row.event_id,
    name: row.name,
    version: Number(row.version),
    tenantId: row.tenant_id === null ? null : Number(row.tenant_id),
    aggregate: { type: row.aggregate_type, id: row.aggregate_id },
    payload: JSON.parse(row.payload),
    occurredAt: new Date(Number(row.occurred_at)),
  }
}

export function runInTenant<T>(tenantId: number | null, callback: () => T): T {
  return tenantId === null ? callback() : tenantContext.run(tenantId, callback)
}

type QueuedDispatch = NonNullable<RelayOptions['dispatchQueued']>
let defaultQueuedDispatch: QueuedDispatch | undefined

/* How every relay hands queued subscribers' events to the job queue (set by #events/queued). */
export function setQueuedDispatch(dispatch: QueuedDispatch | undefined) {
  defaultQueuedDispatch = dispatch
}

const defaultBackoff = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 5 * 60_000)

export class EventRelay {
  readonly id = `relay-${randomUUID().slice(0, 8)}`
  #events: Events
  #options: Required<Omit<RelayOptions, 'events' | 'dispatchQueued'>>
  #dispatchQueued: RelayOptions['dispatchQueued']
  #claims = 0
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> | null = null
  #again = false
  #stopped = true
  #unlisten: (() => void) | null = null

  constructor(options: RelayOptions = {}) {
    this.#events = options.events ?? defaultEvents
    this.#dispatchQueued = options.dispatchQueued
    this.#options = {
      batchSize: options.batchSize ?? 100,
      leaseMs: options.leaseMs ?? 60_000,
      backoff: options.backoff ?? defaultBackoff,
      maxAttempts: options.maxAttempts ?? 10,
      pollMs: options.pollMs ?? 1000,
      queuedRecheckMs: options.queuedRecheckMs ?? 500,
      now: options.now ?? Date.now,
    }
  }

  set dispatchQueued(dispatch: RelayOptions['dispatchQueued']) {
    this.#dispatchQueued = dispatch
  }

  /* Runs rounds until nothing is claimable now; returns the totals. */
  async drain(maxRounds = 1000): Promise<RelayRound> {
    const total: RelayRound = { claimed: 0, delivered: 0, failed: 0, waiting: 0 }
    for (let round = 0; round < maxRounds; round++) {
      const result = await this.runOnce()
      total.claimed += result.claimed
      total.delivered += result.delivered
      total.failed += result.failed
      total.waiting += result.waiting
      // stop when nothing was claimed, or when all that was left waits for queued jobs
      if (result.claimed === result.waiting) break
    }
    return total
  }

  /* Claims one batch and delivers it. */
  async runOnce(): Promise<RelayRound> {
    const rows = await this.claim()
    const result: RelayRound = { claimed: rows.length, delivered: 0, failed: 0, waiting: 0 }
    const delivered: number[] = []
    for (const { row, token } of rows) {
      const outcome = await this.#deliver(row, token)
      result[outcome]++
      if (outcome === 'delivered') delivered.push(Number(row.id))
    }
    // one write for every event of the batch that is done (rows of one claim share the token)
    if (delivered.length) {
      await db
        .from('event_outbox')
        .whereIn('id', delivered)
        .where('locked_by', rows[0].token)
        .update({
          status: 'delivered',
          processed_at: this.#options.now(),
          locked_until: 0,
          locked_by: null,
          last_error: null,
        })
    }
    return result
  }

  /* Background loop: polls, and runs at once when an event is published in this process. */
  start() {
    if (!this.#stopped) return
    this.#stopped = false
    this.#unlisten = this.#events.onPublished(() => this.nudge())
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
    this.#running = this.#loop().finally(() => {
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
    this.#unlisten?.()
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    await this.#running
  }

  async #loop() {
    try {
      await this.drain()
    } catch (error) {
      logger.error({ err: error }, 'events relay round failed')
    }
  }

  /* Leases the next batch (runOnce delivers it; tests call it alone to play a relay that dies). */
  async claim(): Promise<{ row: OutboxRow; token: string }[]> {
    const now = this.#options.now()
    const token = `${this.id}:${++this.#claims}`
    const leaseUntil = now + this.#options.leaseMs
    const postgres = db.connection().dialect.name === 'postgres'
    const ids = await db.transaction(async (trx) => {
      const candidates = await trx
        .from('event_outbox as o')
        .select('o.id')
        .where('o.status', 'pending')
        .where('o.next_attempt_at', '<=', now)
        .where('o.locked_until', '<=', now)
        .whereNotExists((earlier) => {
          earlier
            .from('event_outbox as p')
            .select(trx.raw('1'))
            .whereRaw('p.aggregate_type = o.aggregate_type')
            .whereRaw('p.aggregate_id = o.aggregate_id')
            .where('p.status', 'pending')
            .whereRaw('p.id < o.id')
        })
        .orderBy('o.id', 'asc')
        .limit(this.#options.batchSize)
        .if(postgres, (query) => query.forUpdate().skipLocked())
      if (candidates.length === 0) return []
      const candidateIds = candidates.map((candidate: { id: number | string }) => candidate.id)
      // the guard on status and lease keeps a claim exclusive even without row locks
      await trx
        .from('event_outbox')
        .whereIn('id', candidateIds)
        .where('status', 'pending')
        .where('locked_until', '<=', now)
        .update({ locked_until: leaseUntil, locked_by: token })
      return candidateIds
    })
    if (ids.length === 0) return []
    const rows: OutboxRow[] = await db
      .from('event_outbox')
      .whereIn('id', ids)
      .where('locked_by', token)
      .orderBy('id', 'asc')
    return rows.map((row) => ({ row, token }))
  }

  async #deliver(row: OutboxRow, token: string): Promise<'delivered' | 'failed' | 'waiting'> {
    const outboxId = Number(row.id)
    const event = toDomainEvent(row)
    const attempt = Number(row.attempts) + 1
    const subscribers = this.#events.subscribersOf(event.name)
    // receipts are written only on a failure or a queued dispatch: a first, all-in-process run has none
    const mayHaveReceipts = attempt > 1 || subscribers.some((subscriber) => subscriber.queued)
    const receiptRows: { subscriber: string; outcome: string }[] = mayHaveReceipts
      ? await db
          .from('event_subscriber_receipts')
          .where('outbox_id', outboxId)
          .select('subscriber', 'outcome')
      : []
    const receipts = new Map(receiptRows.map((receipt) => [receipt.subscriber, receipt.outcome]))
    /* subscribers done in this run: recorded only if the event does not complete */
    const doneNow: [string, string][] = []
    const errors: string[] = []
    let waiting = false
    for (const subscriber of subscribers) {
      const outcome = receipts.get(subscriber.name)
      if (outcome === 'dispatched') {
        waiting = true
        continue
      }
      if (outcome) continue
      try {
        if (!(await this.#events.allows(subscriber, event))) {
          doneNow.push([subscriber.name, 'skipped'])
          continue
        }
        if (subscriber.queued) {
          const dispatch = this.#dispatchQueued ?? defaultQueuedDispatch
          if (!dispatch) throw new Error('no job queue is wired for queued subscribers')
          // the receipt first: the job may finish (and mark it handled) before dispatch returns
          await this.#receipt(outboxId, subscriber.name, 'dispatched')
          try {
            await dispatch(event, subscriber, outboxId)
          } catch (error) {
            await db
              .from('event_subscriber_receipts')
              .where({ outbox_id: outboxId, subscriber: subscriber.name, outcome: 'dispatched' })
              .delete()
            throw error
          }
          waiting = true
          continue
        }
        await runInTenant(event.tenantId, () =>
          subscriber.handler(event, { subscriber: subscriber.name, attempt })
        )
        doneNow.push([subscriber.name, 'handled'])
      } catch (error: any) {
        errors.push(`${subscriber.name}: ${error?.message ?? String(error)}`)
        logger.warn(
          {
            err: error,
            event: event.name,
            eventId: event.id,
            subscriber: subscriber.name,
            attempt,
          },
          'event subscriber failed'
        )
      }
    }

    const now = this.#options.now()
    const mine = db.from('event_outbox').where('id', outboxId).where('locked_by', token)
    if (errors.length || waiting) {
      // the event is not done: remember who already has it, so a retry does not run them again
      for (const [name, outcome] of doneNow) await this.#receipt(outboxId, name, outcome)
    }
    if (errors.length) {
      const dead = attempt >= this.#options.maxAttempts
      await mine.update({
        attempts: attempt,
        status: dead ? 'dead' : 'pending',
        next_attempt_at: dead ? 0 : now + this.#options.backoff(attempt),
        processed_at: dead ? now : null,
        locked_until: 0,
        locked_by: null,
        last_error: errors.join('\n').slice(0, 4000),
      })
      if (dead) {
        logger.error({ event: event.name, eventId: event.id, errors }, 'event dead-lettered')
      }
      return 'failed'
    }
    if (waiting) {
      // queued subscribers still running: look again soon, without counting an attempt
      await mine.update({
        next_attempt_at: now + this.#options.queuedRecheckMs,
        locked_until: 0,
        locked_by: null,
      })
      return 'waiting'
    }
    return 'delivered'
  }

  async #receipt(outboxId: number, subscriber: string, outcome: string) {
    await db
      .insertQuery()
      .table('event_subscriber_receipts')
      .insert({
        outbox_id: outboxId,
        subscriber,
        outcome,
        handled_at: this.#options.now(),
      })
      .knexQuery.onConflict(['outbox_id', 'subscriber'])
      .ignore()
  }
}

/*
 * Records how a queued subscriber's job ended: 'handled', or 'dead' after its
 * last attempt failed. Either way the event can complete and the aggregate's
 * next event move on.
 */
export async function markQueuedOutcome(
  outboxId: number,
  subscriber: string,
  outcome: 'handled' | 'dead'
) {
  await db
    .from('event_subscriber_receipts')
    .where({ outbox_id: outboxId, subscriber })
    .update({ outcome, handled_at: Date.now() })
}

/* The relay of this process (started by the events provider where it should run). */
export const relay = new EventRelay()
