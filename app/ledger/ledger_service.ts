import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { tenantContext } from '#tenancy/tenant_context'
import { MissingTenantContextError } from '#tenancy/missing_tenant_context_error'
import { audit, auditRow } from '#audit/audit_log'
import { isCurrency } from '#ledger/currencies'
import { INT8_MAX, parseMinorUnits, toBigInt } from '#ledger/money'
import { LedgerError } from '#ledger/ledger_error'
import { isCalendarDate, periodOf } from '#ledger/dates'
import { ledgerEvents } from '#ledger/ledger_events'
import { FALLBACK, groupCommit } from '#ledger/group_commit'
import { sumOfAmounts } from '#ledger/sums'
import type { Side } from '#ledger/models/ledger_account'

/*
 * The ledger service: the only way money enters the books, for the API and
 * for plugins (capability `ledger.post`).
 *
 * Design for exact balances under concurrency: lines are append-only rows and
 * no balance row is ever updated, so postings to the same (hot) accounts never
 * wait on each other's row locks. A balance is the SUM of an account's lines
 * (index tenant_id, account_id, entry_date), exact by construction; the
 * trial balance over a million lines is a single grouped scan (see
 * bench/ledger.ts for both figures). What must serialize does so narrowly:
 * - the idempotency key is a unique index (INSERT ... ON CONFLICT DO NOTHING),
 * - a period lock takes an exclusive advisory lock on (tenant, month) while
 *   postings take it shared (PostgreSQL), so no posting can slip into a month
 *   being locked; SQLite serializes writers anyway,
 * - a deferred constraint trigger (PostgreSQL) refuses at commit an entry whose
 *   lines do not balance per currency, whoever wrote them.
 * Throughput on PostgreSQL: a posting given no transaction of its own is
 * written by the group commit (#ledger/group_commit) together with the others
 * in flight, one transaction and WAL flush for many; one given the caller's
 * transaction is written there by the same two statements. Every posting they
 * cannot write plainly comes back here and is posted alone (#postOne).
 */

export type PostLineInput = {
  /* an account code (string) or id (number) */
  account: string | number
  side: Side
  /* minor units: a bigint, a string of digits or a safe integer */
  amount: bigint | string | number
  /* ISO 4217; defaults to the entry's currency */
  currency?: string
}

export type PostInput = {
  date: string
  memo?: string
  currency?: string
  lines: PostLineInput[]
  source: { plugin: string; reference?: string | null }
  idempotencyKey: string
}

export type PostOptions = {
  trx?: TransactionClientContract
  /* post into a locked period: the caller checked the override permission; the override is audited */
  allowLockedPeriod?: boolean
  actorUserId?: number | null
}

export type PostedLine = {
  id: number | null
  accountId: number
  accountCode: string
  side: Side
  amount: bigint
  currency: string
}

export type PostedEntry = {
  id: number
  date: string
  memo: string
  sourcePlugin: string
  sourceReference: string | null
  idempotencyKey: string
  reversesEntryId: number | null
  reversedByEntryId: number | null
  lockOverridden: boolean
  createdAt: string
  lines: PostedLine[]
  /* true when this answer is the first posting of a replayed idempotency key */
  replayed: boolean
}

type NormalizedLine = { ref: string | number; side: Side; amount: bigint; currency: string }

const rowsOf = (result: any): any[] => (Array.isArray(result) ? result : (result?.rows ?? []))

function currentTenant(): number {
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new MissingTenantContextError('Ledger')
  return tenantId
}

/* Checks everything that needs no database; errors point at the field. */
function normalize(input: PostInput): { lines: NormalizedLine[]; hash: string } {
  if (!input || typeof input !== 'object') throw LedgerError.invalid('', 'An entry is required')
  if (!isCalendarDate(input.date))
    throw LedgerError.invalid('/date', 'date must be a calendar date written YYYY-MM-DD')
  if (input.memo !== undefined && (typeof input.memo !== 'string' || input.memo.length > 500))
    throw LedgerError.invalid('/memo', 'memo must be text of at most 500 characters')
  if (
    typeof input.idempotencyKey !== 'string' ||
    !/^[\x20-\x7E]{1,255}$/.test(input.idempotencyKey)
  )
    throw LedgerError.invalid(
      '/idempotencyKey',
      'idempotencyKey is required: 1 to 255 printable ASCII characters'
    )
  const plugin = input.source?.plugin
  if (typeof plugin !== 'string' || !/^[a-z][a-z0-9-]{0,99}$/.test(plugin))
    throw LedgerError.invalid('/source/plugin', 'source.plugin must be a plugin id (kebab-case)')
  const reference = input.source?.reference
  if (
    reference !== undefined &&
    reference !== null &&
    (typeof reference !== 'string' || reference.length > 200)
  )
    throw LedgerError.invalid(
      '/source/reference',
      'source.reference must be text of at most 200 characters'
    )
  if (input.currency !== undefined && !isCurrency(input.currency))
    throw LedgerError.invalid('/currency', `Unknown ISO 4217 currency "${input.currency}"`)
  if (!Array.isArray(input.lines) || input.lines.length < 2 || input.lines.length > 500)
    throw LedgerError.invalid('/lines', 'An entry needs between 2 and 500 lines')

  const lines: NormalizedLine[] = input.lines.map((line, index) => {
    const at = `/lines/${index}`
    if (!line || typeof line !== 'object') throw LedgerError.invalid(at, 'Each line is an object')
    const ref = line.account
    const refOk =
      (typeof ref === 'string' && ref.length > 0 && ref.length <= 20) ||
      (typeof ref === 'number' && Number.isSafeInteger(ref) && ref > 0)
    if (!refOk)
      throw LedgerError.invalid(
        `${at}/account`,
        'account must be an account code (string) or id (number)'
      )
    if (line.side !== 'debit' && line.side !== 'credit')
      throw LedgerError.invalid(`${at}/side`, 'side must be "debit" or "credit"')
    const parsed =
      typeof line.amount === 'bigint'
        ? { ok: true as const, value: line.amount }
        : parseMinorUnits(line.amount)
    if (!parsed.ok) throw LedgerError.invalid(`${at}/amount`, `amount ${parsed.reason}`)
    if (parsed.value <= 0n || parsed.value > INT8_MAX)
      throw LedgerError.invalid(
        `${at}/amount`,
        'amount must be a positive number of minor units (the side gives the direction)'
      )
    const currency = line.currency ?? input.currency
    if (!isCurrency(currency))
      throw LedgerError.invalid(
        `${at}/currency`,
        currency === undefined
          ? 'currency is required on the line or the entry'
          : `Unknown ISO 4217 currency "${currency}"`
      )
    return { ref, side: line.side, amount: parsed.value, currency }
  })

  // balanced per currency, and no total past int8
  const totals = new Map<string, { debit: bigint; credit: bigint }>()
  for (const line of lines) {
    const total = totals.get(line.currency) ?? { debit: 0n, credit: 0n }
    total[line.side] += line.amount
    totals.set(line.currency, total)
  }
  for (const [currency, total] of totals) {
    if (total.debit !== total.credit)
      throw LedgerError.invalid(
        '/lines',
        `The entry does not balance in ${currency}: debits ${total.debit}, credits ${total.credit} (minor units)`,
        'ENTRY_UNBALANCED'
      )
    if (total.debit > INT8_MAX)
      throw LedgerError.invalid('/lines', `The ${currency} total is past the 64-bit range`)
  }

  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        input.date,
        input.memo ?? '',
        plugin,
        reference ?? null,
        lines.map((line) => [
          typeof line.ref,
          String(line.ref),
          line.side,
          String(line.amount),
          line.currency,
        ]),
      ])
    )
    .digest('hex')
  return { lines, hash }
}

function lockKey(tenantId: number, period: string) {
  return `ledger.period:${tenantId}:${period}`
}

/* The stored entry with its lines, exact amounts read as text. */
async function loadEntry(
  client: TransactionClientContract | typeof db,
  tenantId: number,
  id: number
) {
  const entry = await client
    .from('ledger_entries')
    .where('tenant_id', tenantId)
    .where('id', id)
    .first()
  if (!entry) return null
  const lines = rowsOf(
    await client.rawQuery(
      `SELECT l.id, l.account_id, a.code, l.currency, CAST(l.amount AS TEXT) AS amount
       FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
       WHERE l.entry_id = ? AND l.tenant_id = ? ORDER BY l.id`,
      [id, tenantId]
    )
  )
  const reversal = await client
    .from('ledger_entries')
    .where('tenant_id', tenantId)
    .where('reverses_entry_id', id)
    .select('id')
    .first()
  return toPosted(entry, lines, reversal ? Number(reversal.id) : null, false)
}

function toPosted(
  entry: any,
  lines: any[],
  reversedBy: number | null,
  replayed: boolean
): PostedEntry {
  const createdAt = entry.created_at
  return {
    id: Number(entry.id),
    date: entry.entry_date,
    memo: entry.memo,
    sourcePlugin: entry.source_plugin,
    sourceReference: entry.source_reference,
    idempotencyKey: entry.idempotency_key,
    reversesEntryId: entry.reverses_entry_id === null ? null : Number(entry.reverses_entry_id),
    reversedByEntryId: reversedBy,
    lockOverridden: Boolean(entry.lock_overridden),
    createdAt: createdAt instanceof Date ? createdAt.toISOString() : String(createdAt),
    lines: lines.map((line) => {
      const signed = toBigInt(line.amount)
      return {
        id: line.id === null ? null : Number(line.id),
        accountId: Number(line.account_id),
        accountCode: line.code,
        side: signed > 0n ? 'debit' : 'credit',
        amount: signed > 0n ? signed : -signed,
        currency: line.currency,
      }
    }),
    replayed,
  }
}

/* The audit entry of a posting (or reversal); subjectId is the entry's id. */
function postedAudit(
  tenantId: number,
  input: PostInput,
  lines: NormalizedLine[],
  reversesEntryId: number | null,
  options: PostOptions
) {
  const totals: Record<string, string> = {}
  for (const line of lines) {
    if (line.side === 'debit')
      totals[line.currency] = (BigInt(totals[line.currency] ?? '0') + line.amount).toString()
  }
  return {
    action: reversesEntryId ? 'ledger.entry.reversed' : 'ledger.entry.posted',
    tenantId,
    ...(options.actorUserId !== undefined ? { actorUserId: options.actorUserId } : {}),
    subjectType: 'ledger-entry',
    meta: {
      date: input.date,
      source: input.source.plugin,
      reference: input.source.reference ?? null,
      totals,
      ...(reversesEntryId ? { reverses: reversesEntryId } : {}),
    },
  }
}

function withTransaction<T>(
  trx: TransactionClientContract | undefined,
  work: (trx: TransactionClientContract) => Promise<T>
): Promise<T> {
  return trx ? work(trx) : db.transaction(work)
}

class LedgerService {
  /*
   * Posts a balanced entry for the tenant in context. Replaying the same
   * idempotency key with the same payload returns the first entry
   * (`replayed: true`); with a different payload it is a 409. Nothing is
   * written when the entry is refused.
   */
  async post(
    input: PostInput,
    options: PostOptions = {},
    reversesEntryId: number | null = null
  ): Promise<PostedEntry> {
    const tenantId = currentTenant()
    const { lines, hash } = normalize(input)
    // on PostgreSQL: two statements; with no transaction of its own, committed with the others in flight
    if (reversesEntryId === null && groupCommit.enabled) {
      const posting = {
        tenantId,
        input,
        lines,
        hash,
        actorUserId: options.actorUserId,
        audit: auditRow(
          { ...postedAudit(tenantId, input, lines, null, options), subjectId: '' },
          ''
        ),
      }
      const posted = options.trx
        ? await groupCommit.postIn(options.trx, posting)
        : await groupCommit.submit(posting)
      if (posted !== FALLBACK) return posted
    }
    return this.#postOne(tenantId, input, lines, hash, options, reversesEntryId)
  }

  /* One posting in its own transaction (or the caller's): the path every exception takes. */
  async #postOne(
    tenantId: number,
    input: PostInput,
    lines: NormalizedLine[],
    hash: string,
    options: PostOptions,
    reversesEntryId: number | null
  ): Promise<PostedEntry> {
    return withTransaction(options.trx, async (trx) => {
      const replay = await this.#replay(trx, tenantId, input.idempotencyKey, hash)
      if (replay) return replay

      const accounts = await this.#resolveAccounts(trx, tenantId, lines)
      const lockOverridden = await this.#checkPeriod(trx, tenantId, input.date, options)

      const now = DateTime.now().toFormat(trx.dialect.dateTimeFormat)
      const inserted = rowsOf(
        await trx
          .knexQuery()
          .table('ledger_entries')
          .insert({
            tenant_id: tenantId,
            entry_date: input.date,
            memo: input.memo ?? '',
            source_plugin: input.source.plugin,
            source_reference: input.source.reference ?? null,
            idempotency_key: input.idempotencyKey,
            payload_hash: hash,
            reverses_entry_id: reversesEntryId,
            lock_overridden: lockOverridden,
            created_by_user_id: options.actorUserId ?? null,
            created_at: now,
          })
          .onConflict()
          .ignore()
          .returning('id')
      )
      if (!inserted.length) {
        // a concurrent posting took the key (or reversed the same entry) first
        const raced = await this.#replay(trx, tenantId, input.idempotencyKey, hash)
        if (raced) return raced
        throw new LedgerError(
          409,
          'ALREADY_REVERSED',
          `Entry ${reversesEntryId} is already reversed`
        )
      }
      const entryId = Number(inserted[0].id ?? inserted[0])

      const lineRows = lines.map((line) => {
        const account = accounts.get(`${typeof line.ref}:${line.ref}`)!
        return {
          tenant_id: tenantId,
          entry_id: entryId,
          account_id: account.id,
          currency: line.currency,
          // bigint as text: exact on both drivers (SQLite stores it as INTEGER affinity)
          amount: (line.side === 'debit' ? line.amount : -line.amount).toString(),
          entry_date: input.date,
        }
      })
      const lineIds = rowsOf(
        await trx.knexQuery().table('ledger_lines').insert(lineRows).returning('id')
      )

      const posted: PostedEntry = {
        id: entryId,
        date: input.date,
        memo: input.memo ?? '',
        sourcePlugin: input.source.plugin,
        sourceReference: input.source.reference ?? null,
        idempotencyKey: input.idempotencyKey,
        reversesEntryId,
        reversedByEntryId: null,
        lockOverridden,
        createdAt: DateTime.fromFormat(now, trx.dialect.dateTimeFormat).toUTC().toISO() ?? now,
        lines: lines.map((line, index) => {
          const account = accounts.get(`${typeof line.ref}:${line.ref}`)!
          const row = lineIds[index]
          return {
            id: row === undefined ? null : Number(row.id ?? row),
            accountId: account.id,
            accountCode: account.code,
            side: line.side,
            amount: line.amount,
            currency: line.currency,
          }
        }),
        replayed: false,
      }

      await audit(
        { ...postedAudit(tenantId, input, lines, reversesEntryId, options), subjectId: entryId },
        trx
      )
      if (lockOverridden) {
        await audit(
          {
            action: 'ledger.period.override',
            tenantId,
            ...(options.actorUserId !== undefined ? { actorUserId: options.actorUserId } : {}),
            subjectType: 'ledger-entry',
            subjectId: entryId,
            meta: { period: periodOf(input.date) },
          },
          trx
        )
      }
      await ledgerEvents.posted(posted, tenantId, trx)
      return posted
    })
  }

  /*
   * Posts the mirror image of an entry (every side swapped), dated `date`
   * (today by default) and linked to it. An entry is reversed at most once;
   * replaying the same reversal returns it.
   */
  async reverse(
    entryId: number,
    input: {
      date?: string
      memo?: string
      idempotencyKey?: string
      source?: { plugin: string; reference?: string | null }
    } = {},
    options: PostOptions = {}
  ): Promise<PostedEntry> {
    const tenantId = currentTenant()
    return withTransaction(options.trx, async (trx) => {
      const original = await loadEntry(trx, tenantId, entryId)
      if (!original) throw LedgerError.notFound('Ledger entry')
      const idempotencyKey = input.idempotencyKey ?? `reversal-of:${entryId}`
      if (original.reversedByEntryId !== null) {
        const existing = await loadEntry(trx, tenantId, original.reversedByEntryId)
        if (existing && existing.idempotencyKey === idempotencyKey)
          return { ...existing, replayed: true }
        throw new LedgerError(
          409,
          'ALREADY_REVERSED',
          `Entry ${entryId} is already reversed by entry ${original.reversedByEntryId}`
        )
      }
      const posted = await this.post(
        {
          date: input.date ?? DateTime.utc().toISODate()!,
          memo:
            input.memo ??
            `Reversal of entry ${entryId}${original.memo ? `: ${original.memo}` : ''}`.slice(
              0,
              500
            ),
          source: input.source ?? {
            plugin: original.sourcePlugin,
            reference: original.sourceReference,
          },
          idempotencyKey,
          lines: original.lines.map((line) => ({
            account: line.accountId,
            side: line.side === 'debit' ? 'credit' : 'debit',
            amount: line.amount,
            currency: line.currency,
          })),
        },
        { ...options, trx },
        entryId
      )
      if (!posted.replayed) await ledgerEvents.reversed(posted, entryId, tenantId, trx)
      return posted
    })
  }

  /* One entry of the tenant in context, with its lines and the entry that reversed it. */
  async find(entryId: number): Promise<PostedEntry | null> {
    return loadEntry(db as any, currentTenant(), entryId)
  }

  /* Balance of an account per currency (debit positive), optionally as of a date. */
  async balances(accountId: number, asOf?: string): Promise<Map<string, bigint>> {
    const tenantId = currentTenant()
    const query = db
      .from('ledger_lines')
      .where('tenant_id', tenantId)
      .where('account_id', accountId)
      .groupBy('currency')
      .select('currency')
      .select(db.raw(`${sumOfAmounts('amount')} AS balance`))
    if (asOf) query.where('entry_date', '<=', asOf)
    const result = new Map<string, bigint>()
    for (const row of await query) result.set(row.currency, toBigInt(row.balance))
    return result
  }

  async #replay(trx: TransactionClientContract, tenantId: number, key: string, hash: string) {
    const existing = await trx
      .from('ledger_entries')
      .where('tenant_id', tenantId)
      .where('idempotency_key', key)
      .select('id', 'payload_hash')
      .first()
    if (!existing) return null
    if (existing.payload_hash !== hash) {
      throw new LedgerError(
        409,
        'IDEMPOTENCY_KEY_REUSED',
        `The idempotency key "${key}" was used for a different entry (${existing.id})`,
        { pointer: '/data/attributes/idempotencyKey' }
      )
    }
    const entry = await loadEntry(trx, tenantId, Number(existing.id))
    return { ...entry!, replayed: true }
  }

  async #resolveAccounts(
    trx: TransactionClientContract,
    tenantId: number,
    lines: NormalizedLine[]
  ) {
    const ids = [
      ...new Set(lines.filter((l) => typeof l.ref === 'number').map((l) => l.ref as number)),
    ]
    const codes = [
      ...new Set(lines.filter((l) => typeof l.ref === 'string').map((l) => l.ref as string)),
    ]
    const rows = await trx
      .from('ledger_accounts')
      .where('tenant_id', tenantId)
      .where((query) => {
        if (ids.length) query.orWhereIn('id', ids)
        if (codes.length) query.orWhereIn('code', codes)
      })
      .select('id', 'code', 'currency', 'is_active')
    const byRef = new Map<string, { id: number; code: string }>()
    for (const row of rows) {
      byRef.set(`number:${row.id}`, row)
      byRef.set(`string:${row.code}`, row)
    }
    lines.forEach((line, index) => {
      const row: any = byRef.get(`${typeof line.ref}:${line.ref}`)
      const at = `/lines/${index}/account`
      if (!row)
        throw LedgerError.invalid(
          at,
          `Unknown account ${JSON.stringify(line.ref)}`,
          'UNKNOWN_ACCOUNT'
        )
      if (!row.is_active)
        throw LedgerError.invalid(at, `Account ${row.code} is inactive`, 'INACTIVE_ACCOUNT')
      if (row.currency && row.currency !== line.currency)
        throw LedgerError.invalid(
          `/lines/${index}/currency`,
          `Account ${row.code} is kept in ${row.currency}, not ${line.currency}`,
          'CURRENCY_MISMATCH'
        )
    })
    return byRef as Map<string, { id: number; code: string }>
  }

  /* Refuses a date in a locked month unless the caller may override; true when overridden. */
  async #checkPeriod(
    trx: TransactionClientContract,
    tenantId: number,
    date: string,
    options: PostOptions
  ): Promise<boolean> {
    const period = periodOf(date)
    if (trx.dialect.name === 'postgres') {
      await trx.rawQuery('SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))', [
        lockKey(tenantId, period),
      ])
    }
    const row = await trx
      .from('ledger_periods')
      .where('tenant_id', tenantId)
      .where('period', period)
      .select('is_locked')
      .first()
    if (!row || !row.is_locked) return false
    if (options.allowLockedPeriod) return true
    throw new LedgerError(
      423,
      'PERIOD_LOCKED',
      `The period ${period} is locked; date ${date} cannot be posted to`,
      {
        pointer: '/data/attributes/date',
      }
    )
  }

  /* Locks or unlocks a month. On PostgreSQL it waits for postings in flight to that month. */
  async setPeriodLock(period: string, locked: boolean, actorUserId: number | null = null) {
    const tenantId = currentTenant()
    return db.transaction(async (trx) => {
      if (trx.dialect.name === 'postgres') {
        await trx.rawQuery('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
          lockKey(tenantId, period),
        ])
      }
      const now = DateTime.now().toFormat(trx.dialect.dateTimeFormat)
      const existing = await trx
        .from('ledger_periods')
        .where('tenant_id', tenantId)
        .where('period', period)
        .first()
      if (existing) {
        await trx
          .from('ledger_periods')
          .where('id', existing.id)
          .update({ is_locked: locked, changed_by_user_id: actorUserId, updated_at: now })
      } else {
        await trx.table('ledger_periods').insert({
          tenant_id: tenantId,
          period,
          is_locked: locked,
          changed_by_user_id: actorUserId,
          created_at: now,
          updated_at: now,
        })
      }
      const changed = !existing || Boolean(existing.is_locked) !== locked
      if (changed) {
        await audit(
          {
            action: locked ? 'ledger.period.locked' : 'ledger.period.unlocked',
            tenantId,
            actorUserId,
            subjectType: 'ledger-period',
            subjectId: period,
          },
          trx
        )
      }
      return { period, isLocked: locked, changed }
    })
  }
}

export const ledger = new LedgerService()
export type { LedgerService }
