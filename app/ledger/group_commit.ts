import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { auditRow } from '#audit/audit_log'
import { events } from '#events/events'
import { ledgerEvents } from '#ledger/ledger_events'
import { periodOf } from '#ledger/dates'
import type { PostedEntry, PostInput } from '#ledger/ledger_service'
import type { Side } from '#ledger/models/ledger_account'

/*
 * Group commit for postings on PostgreSQL. Every commit waits for a WAL flush
 * (fdatasync, ~1.7 ms on this box's disk, far more under load), and a posting
 * one by one took ten round trips, so a connection managed a few hundred
 * postings/s at best. Postings that arrive while earlier batches are in
 * flight queue up and are written together, in one transaction of two round
 * trips whatever the batch size (both statements prepared once per connection):
 *
 *   1 BEGIN + read: shared advisory locks on the batch's (tenant, month)s, the
 *            idempotency keys already taken, the accounts, and ids from the
 *            entry and line sequences
 *   2 write + COMMIT: one statement inserting the entries, lines, audit rows
 *            and ledger.entry.posted outbox rows; an entry whose month is
 *            locked (read under the locks, in this later snapshot) or whose
 *            key another transaction took meanwhile (ON CONFLICT DO NOTHING)
 *            is left out with everything that hangs off it
 *
 * Nothing is weaker than posting one by one: every row of a posting is in the
 * same transaction, the deferred balance trigger still checks every entry, the
 * unique index still decides idempotency, and synchronous_commit is untouched
 * (an answer is only given once its batch has committed).
 *
 * Only the plain case is written here: a new key, known active accounts in
 * the right currency, an open month. Any other posting (a replay, a 409, an
 * unknown account, a locked month, an override, a key raced by another
 * transaction, a duplicate key within the batch) and every posting of a batch
 * whose transaction failed comes back as `FALLBACK`: the caller then posts it
 * alone through the one-by-one path, which gives the exact answer or error
 * for that posting only, in the caller's request context.
 */

export const FALLBACK = Symbol('ledger.group-commit.fallback')

type Line = { ref: string | number; side: Side; amount: bigint; currency: string }

export type BatchedPosting = {
  tenantId: number
  input: PostInput
  lines: Line[]
  hash: string
  actorUserId: number | null | undefined
  /* the audit row with the caller's request context (id, ip, actor) already filled in */
  audit: ReturnType<typeof auditRow>
}

type Pending = BatchedPosting & {
  resolve(result: PostedEntry | typeof FALLBACK): void
}

type Account = { id: number; code: string; currency: string | null; is_active: boolean }

/*
 * Batches in flight at once, each on one pooled connection (the pool has 10);
 * the rest queue. 2, 4 and 8 measured alike on 2 cores; 4 leaves the pool
 * room for the requests' other queries.
 */
const MAX_IN_FLIGHT = 4
const MAX_BATCH = 256
/* a queue is split between connections only into batches of at least this many */
const MIN_SPLIT = 8

/* each lookup is a LATERAL ... LIMIT 1 so it stays an index probe however many rows the table has */
const READ = `
SELECT
  (SELECT count(pg_advisory_xact_lock_shared(hashtextextended(k, 0)))
     FROM (SELECT DISTINCT k FROM json_array_elements_text(?::json) AS k ORDER BY k) AS keys) AS locks,
  (SELECT coalesce(json_agg(json_build_array(e.tenant_id, e.idempotency_key)), '[]')
     FROM json_to_recordset(?::json) AS k(t int, k text)
     CROSS JOIN LATERAL (
       SELECT tenant_id, idempotency_key FROM ledger_entries
       WHERE tenant_id = k.t AND idempotency_key = k.k LIMIT 1) AS e
  ) AS taken,
  (SELECT coalesce(json_agg(json_build_array(a.tenant_id, a.id, a.code, a.currency, a.is_active)), '[]')
     FROM (
       SELECT a.* FROM json_to_recordset(?::json) AS r(t int, c text)
       CROSS JOIN LATERAL (
         SELECT tenant_id, id, code, currency, is_active FROM ledger_accounts
         WHERE tenant_id = r.t AND code = r.c LIMIT 1) AS a
       UNION
       SELECT a.* FROM json_to_recordset(?::json) AS r(t int, i int)
       CROSS JOIN LATERAL (
         SELECT tenant_id, id, code, currency, is_active FROM ledger_accounts
         WHERE tenant_id = r.t AND id = r.i LIMIT 1) AS a
     ) AS a
  ) AS accounts,
  (SELECT json_agg(nextval(pg_get_serial_sequence('ledger_entries', 'id'))) FROM generate_series(1, ?)) AS entry_ids,
  (SELECT json_agg(nextval(pg_get_serial_sequence('ledger_lines', 'id'))) FROM generate_series(1, ?)) AS line_ids`

const WRITE = `
WITH e AS (
  INSERT INTO ledger_entries (id, tenant_id, entry_date, memo, source_plugin, source_reference,
                              idempotency_key, payload_hash, lock_overridden, created_by_user_id, created_at)
  SELECT r.id, r.tenant_id, r.entry_date, r.memo, r.source_plugin, r.source_reference,
         r.idempotency_key, r.payload_hash, false, r.created_by_user_id, r.created_at
  FROM json_populate_recordset(NULL::ledger_entries, ?::json) AS r
  WHERE NOT EXISTS (
    SELECT 1 FROM ledger_periods p
    WHERE p.tenant_id = r.tenant_id AND p.period = left(r.entry_date, 7) AND p.is_locked)
  ON CONFLICT DO NOTHING
  RETURNING id
), l AS (
  INSERT INTO ledger_lines (id, tenant_id, entry_id, account_id, currency, amount, entry_date)
  SELECT r.id, r.tenant_id, r.entry_id, r.account_id, r.currency, r.amount, r.entry_date
  FROM json_populate_recordset(NULL::ledger_lines, ?::json) AS r JOIN e ON e.id = r.entry_id
), a AS (
  INSERT INTO audit_logs (tenant_id, actor_user_id, action, subject_type, subject_id, request_id, ip, meta, created_at)
  SELECT r.tenant_id, r.actor_user_id, r.action, r.subject_type, r.subject_id, r.request_id, r.ip, r.meta, r.created_at
  FROM json_array_elements(?::json) AS j
  CROSS JOIN LATERAL json_populate_record(NULL::audit_logs, j) AS r
  JOIN e ON e.id = (j->>'entry_id')::bigint
), o AS (
  INSERT INTO event_outbox (event_id, name, version, tenant_id, aggregate_type, aggregate_id, payload,
                            status, attempts, occurred_at, next_attempt_at, locked_until)
  SELECT r.event_id, r.name, r.version, r.tenant_id, r.aggregate_type, r.aggregate_id, r.payload,
         r.status, r.attempts, r.occurred_at, r.next_attempt_at, r.locked_until
  FROM json_array_elements(?::json) AS j
  CROSS JOIN LATERAL json_populate_record(NULL::event_outbox, j) AS r
  JOIN e ON e.id = (j->>'entry_id')::bigint
)
SELECT id FROM e`

/*
 * Both statements are prepared once per connection (PREPARE ... AS, the plan
 * is cached) and run with EXECUTE and their values written in as literals
 * (pg's own escaping), so that BEGIN and COMMIT travel in the same round trip:
 * the simple query protocol takes several statements but no parameters.
 */
const numbered = (text: string) => {
  let n = 0
  return text.replace(/\?/g, () => `$${++n}`)
}
const PREPARE = [
  `PREPARE ledger_group_read(json, json, json, json, int, int) AS ${numbered(READ)}`,
  `PREPARE ledger_group_write(json, json, json, json) AS ${numbered(WRITE)}`,
]
const preparedOn = new WeakSet<object>()

async function prepareOn(connection: { query(sql: string): Promise<unknown> }) {
  if (preparedOn.has(connection)) return
  for (const statement of PREPARE) {
    await connection.query(statement).catch((error: { code?: string }) => {
      // 42P05: already prepared on this connection
      if (error.code !== '42P05') throw error
    })
  }
  preparedOn.add(connection)
}

function execute(
  connection: { escapeLiteral(value: string): string },
  name: 'ledger_group_read' | 'ledger_group_write',
  values: (string | number)[]
) {
  const literals = values.map((value) => {
    if (typeof value !== 'number') return connection.escapeLiteral(value)
    if (!Number.isSafeInteger(value)) throw new Error(`Not an integer: ${value}`)
    return String(value)
  })
  return `EXECUTE ${name}(${literals.join(', ')})`
}

const lockKey = (tenantId: number, date: string) => `ledger.period:${tenantId}:${periodOf(date)}`
const refKey = (ref: string | number) => `${typeof ref}:${ref}`

class GroupCommit {
  #queue: Pending[] = []
  #inFlight = 0
  #enabled: boolean | undefined
  /* what happened so far: batches run, postings written here, postings sent back one by one */
  readonly stats = {
    batches: 0,
    written: 0,
    fallbacks: 0,
    failedBatches: 0,
    /* postings written by postIn() in a caller's transaction */
    inTransaction: 0,
    lastError: '',
    /* milliseconds summed over batches: getting a connection, BEGIN + the read, the write + COMMIT */
    ms: { connect: 0, read: 0, write: 0 },
  }

  /* Group commit is for PostgreSQL; SQLite has a single writer and cheap commits. */
  get enabled() {
    this.#enabled ??= db.connection().dialect.name === 'postgres'
    return this.#enabled
  }

  #drainScheduled = false

  submit(posting: BatchedPosting): Promise<PostedEntry | typeof FALLBACK> {
    return new Promise((resolve) => {
      this.#queue.push({ ...posting, resolve })
      // postings submitted in the same tick go out together
      if (!this.#drainScheduled) {
        this.#drainScheduled = true
        queueMicrotask(() => {
          this.#drainScheduled = false
          this.#drain()
        })
      }
    })
  }

  #drain() {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#queue.length) {
      // a long queue is shared between the free connections: their writes run on several cores
      const size = Math.min(
        MAX_BATCH,
        Math.max(MIN_SPLIT, Math.ceil(this.#queue.length / (MAX_IN_FLIGHT - this.#inFlight)))
      )
      const batch: Pending[] = []
      const later: Pending[] = []
      const keys = new Set<string>()
      for (const posting of this.#queue) {
        const key = `${posting.tenantId}:${posting.input.idempotencyKey}`
        // a key twice in one batch: the second waits for the first's commit, then replays
        if (batch.length >= size || keys.has(key)) later.push(posting)
        else {
          keys.add(key)
          batch.push(posting)
        }
      }
      this.#queue = later
      this.#inFlight++
      this.#run(batch).finally(() => {
        this.#inFlight--
        this.#drain()
      })
    }
  }

  async #run(batch: Pending[]) {
    const done = new Map<BatchedPosting, PostedEntry>()
    const ms = this.stats.ms
    let t = performance.now()
    const lap = (step: keyof typeof ms) => {
      const now = performance.now()
      ms[step] += now - t
      t = now
    }
    const knex = db.connection().getWriteClient()
    let connection: any
    try {
      connection = await knex.client.acquireConnection()
    } catch (error) {
      // no connection (pool timeout, database down): each posting tries alone
      this.stats.failedBatches++
      this.stats.lastError = String((error as Error)?.message ?? error)
      for (const posting of batch) posting.resolve(FALLBACK)
      return
    }
    lap('connect')
    try {
      await prepareOn(connection)
      const [, readResult] = await connection.query(
        'BEGIN; ' + execute(connection, 'ledger_group_read', readValues(batch))
      )
      lap('read')
      const plan = await planWrite(batch, readResult.rows[0])
      if (!plan) {
        await connection.query('COMMIT')
      } else {
        // the write and COMMIT in one round trip: after an error in the write, COMMIT does not run
        const [writeResult] = await connection.query(
          execute(connection, 'ledger_group_write', plan.values) + '; COMMIT'
        )
        lap('write')
        for (const { id } of writeResult.rows) {
          const entry = plan.written.get(Number(id))!
          done.set(entry.posting, entry.posted)
        }
      }
    } catch (error) {
      // the batch rolled back: each posting is retried alone, and gets its own answer
      done.clear()
      this.stats.failedBatches++
      this.stats.lastError = String((error as Error)?.message ?? error)
      await connection.query('ROLLBACK').catch(() => {})
    } finally {
      knex.client.releaseConnection(connection)
    }
    this.stats.batches++
    this.stats.written += done.size
    this.stats.fallbacks += batch.length - done.size
    if (done.size) events.committed()
    for (const posting of batch) posting.resolve(done.get(posting) ?? FALLBACK)
  }

  /*
   * One posting in the caller's transaction (a plugin posting with its own
   * change): the same two statements, so two round trips instead of eight,
   * committed by the caller. FALLBACK, with nothing written, for anything but
   * the plain case.
   */
  async postIn(
    trx: TransactionClientContract,
    posting: BatchedPosting
  ): Promise<PostedEntry | typeof FALLBACK> {
    const read = await trx.rawQuery(READ, readValues([posting]))
    const plan = await planWrite([posting], read.rows[0])
    if (!plan) return FALLBACK
    const written = await trx.rawQuery(WRITE, plan.values)
    if (!written.rows.length) return FALLBACK
    trx.after('commit', () => events.committed())
    this.stats.inTransaction++
    return plan.written.get(Number(written.rows[0].id))!.posted
  }
}

/* The READ statement's values for a batch. */
function readValues(batch: BatchedPosting[]) {
  const codes: { t: number; c: string }[] = []
  const ids: { t: number; i: number }[] = []
  let lineCount = 0
  for (const posting of batch) {
    for (const line of posting.lines) {
      if (typeof line.ref === 'number') ids.push({ t: posting.tenantId, i: line.ref })
      else codes.push({ t: posting.tenantId, c: line.ref })
    }
    lineCount += posting.lines.length
  }
  return [
    JSON.stringify(batch.map((p) => lockKey(p.tenantId, p.input.date))),
    JSON.stringify(batch.map((p) => ({ t: p.tenantId, k: p.input.idempotencyKey }))),
    JSON.stringify(codes),
    JSON.stringify(ids),
    batch.length,
    lineCount,
  ]
}

/*
 * From what READ found: the rows of every plain posting of the batch (the
 * WRITE statement's values) and the answer each gets once written, by entry
 * id; null when no posting is plain.
 */
async function planWrite<P extends BatchedPosting>(batch: P[], read: any) {
  const taken = new Set(read.taken.map(([tenant, key]: [number, string]) => `${tenant}:${key}`))
  const accounts = new Map<string, Account>()
  for (const [tenant, id, code, currency, active] of read.accounts) {
    const account = { id: Number(id), code, currency, is_active: active }
    accounts.set(`${tenant}:${refKey(account.id)}`, account)
    accounts.set(`${tenant}:${refKey(code)}`, account)
  }
  const entryIds: number[] = read.entry_ids.map(Number)
  const lineIds: number[] = read.line_ids.map(Number)

  const format = db.connection().dialect.dateTimeFormat
  const now = DateTime.now().toFormat(format)
  const createdAt = DateTime.fromFormat(now, format).toUTC().toISO()!
  const entryRows: Record<string, unknown>[] = []
  const lineRows: Record<string, unknown>[] = []
  const auditRows: Record<string, unknown>[] = []
  const outboxRows: Record<string, unknown>[] = []
  const written = new Map<number, { posting: P; posted: PostedEntry }>()
  let nextLine = 0

  for (const [index, posting] of batch.entries()) {
    const { tenantId, input } = posting
    if (taken.has(`${tenantId}:${input.idempotencyKey}`)) continue
    const resolved = posting.lines.map((line) => accounts.get(`${tenantId}:${refKey(line.ref)}`))
    const plain = resolved.every(
      (account, i) =>
        account &&
        account.is_active &&
        (!account.currency || account.currency === posting.lines[i].currency)
    )
    if (!plain) continue

    const entryId = entryIds[index]
    const posted: PostedEntry = {
      id: entryId,
      date: input.date,
      memo: input.memo ?? '',
      sourcePlugin: input.source.plugin,
      sourceReference: input.source.reference ?? null,
      idempotencyKey: input.idempotencyKey,
      reversesEntryId: null,
      reversedByEntryId: null,
      lockOverridden: false,
      createdAt,
      lines: posting.lines.map((line, i) => ({
        id: lineIds[nextLine + i],
        accountId: resolved[i]!.id,
        accountCode: resolved[i]!.code,
        side: line.side,
        amount: line.amount,
        currency: line.currency,
      })),
      replayed: false,
    }
    nextLine += posting.lines.length
    entryRows.push({
      id: entryId,
      tenant_id: tenantId,
      entry_date: input.date,
      memo: posted.memo,
      source_plugin: posted.sourcePlugin,
      source_reference: posted.sourceReference,
      idempotency_key: input.idempotencyKey,
      payload_hash: posting.hash,
      created_by_user_id: posting.actorUserId ?? null,
      created_at: now,
    })
    for (const line of posted.lines) {
      lineRows.push({
        id: line.id,
        tenant_id: tenantId,
        entry_id: entryId,
        account_id: line.accountId,
        currency: line.currency,
        // bigint as text: exact through JSON
        amount: (line.side === 'debit' ? line.amount : -line.amount).toString(),
        entry_date: input.date,
      })
    }
    auditRows.push({
      ...posting.audit,
      subject_id: String(entryId),
      created_at: now,
      entry_id: entryId,
    })
    const { row } = await ledgerEvents.postedRow(posted, tenantId)
    outboxRows.push({ ...row, entry_id: entryId })
    written.set(entryId, { posting, posted })
  }
  if (!entryRows.length) return null
  return {
    values: [
      JSON.stringify(entryRows),
      JSON.stringify(lineRows),
      JSON.stringify(auditRows),
      JSON.stringify(outboxRows),
    ],
    written,
  }
}

export const groupCommit = new GroupCommit()
