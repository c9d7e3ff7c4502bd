import db from '@adonisjs/lucid/services/db'
import LedgerEntry from '#ledger/models/ledger_entry'
import { parseListParams, applyListParams } from '#http/list_query'
import { toBigInt } from '#ledger/money'
import { badParameter, parseDateParam } from '#ledger/controllers/query_params'
import type { PostedEntry } from '#ledger/ledger_service'

/*
 * The journal as a paged list, for the API and the staff pages alike.
 * Filters: filter[source]=plugin, filter[account]=<account id>,
 * filter[from] / filter[to] (dates, inclusive), filter[reference]; search,
 * sort, page and limit as every list. A bad parameter is a 400 naming it.
 */
export async function listJournal(queryString: Record<string, any>) {
  const qs = { ...queryString }
  const custom = typeof qs.filter === 'object' && qs.filter !== null ? { ...qs.filter } : {}
  const query = LedgerEntry.query()
  if (custom.account !== undefined) {
    const account = String(custom.account)
    if (!/^\d{1,15}$/.test(account))
      throw badParameter('filter[account]', 'filter[account] must be an account id')
    query.whereExists((sub) =>
      sub
        .from('ledger_lines')
        .whereColumn('ledger_lines.entry_id', 'ledger_entries.id')
        .where('ledger_lines.account_id', Number(account))
    )
  }
  for (const [key, op] of [
    ['from', '>='],
    ['to', '<='],
  ] as const) {
    if (custom[key] === undefined) continue
    const date = parseDateParam(custom[key], `filter[${key}]`)
    if (date) query.where('entry_date', op, date)
  }
  delete custom.account
  delete custom.from
  delete custom.to
  qs.filter = Object.keys(custom).length ? custom : undefined
  const spec = {
    sortable: { date: 'entry_date', id: 'id', createdAt: 'created_at' },
    filterable: { source: 'source_plugin', reference: 'source_reference' },
    searchable: ['memo', 'source_reference'],
    defaultSort: '-date',
  }
  const params = parseListParams(qs, spec)
  applyListParams(query, params, spec)
  query.orderBy('id', params.sort[0]?.direction ?? 'desc')
  const result = await query.paginate(params.page, params.limit)
  const entries = await withLines(result.all())
  const totalPages = Math.max(1, Math.ceil(result.total / params.limit))
  return {
    entries,
    meta: { page: params.page, limit: params.limit, total: result.total, totalPages },
  }
}

/* Loads the lines of a page of entries in one query. */
async function withLines(entries: LedgerEntry[]): Promise<PostedEntry[]> {
  if (!entries.length) return []
  const ids = entries.map((entry) => entry.id)
  const lines = await db
    .from('ledger_lines as l')
    .join('ledger_accounts as a', 'a.id', 'l.account_id')
    .whereIn('l.entry_id', ids)
    .select('l.id', 'l.entry_id', 'l.account_id', 'a.code', 'l.currency')
    .select(db.raw('CAST(l.amount AS TEXT) AS amount'))
    .orderBy('l.id')
  const reversals = await db
    .from('ledger_entries')
    .whereIn('reverses_entry_id', ids)
    .select('id', 'reverses_entry_id')
  const reversedBy = new Map(reversals.map((r: any) => [Number(r.reverses_entry_id), Number(r.id)]))
  return entries.map((entry) => ({
    id: entry.id,
    date: entry.entryDate,
    memo: entry.memo,
    sourcePlugin: entry.sourcePlugin,
    sourceReference: entry.sourceReference,
    idempotencyKey: entry.idempotencyKey,
    reversesEntryId: entry.reversesEntryId,
    reversedByEntryId: reversedBy.get(entry.id) ?? null,
    lockOverridden: entry.lockOverridden,
    createdAt: entry.createdAt?.toUTC().toISO() ?? '',
    replayed: false,
    lines: lines
      .filter((line: any) => Number(line.entry_id) === entry.id)
      .map((line: any) => {
        const signed = toBigInt(line.amount)
        return {
          id: Number(line.id),
          accountId: Number(line.account_id),
          accountCode: line.code,
          side: signed > 0n ? ('debit' as const) : ('credit' as const),
          amount: signed > 0n ? signed : -signed,
          currency: line.currency,
        }
      }),
  }))
}
