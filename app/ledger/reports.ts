import db from '@adonisjs/lucid/services/db'
import { tenantContext } from '#tenancy/tenant_context'
import { MissingTenantContextError } from '#tenancy/missing_tenant_context_error'
import { toBigInt } from '#ledger/money'
import { sumOfAmounts } from '#ledger/sums'
import type { AccountType } from '#ledger/models/ledger_account'

/*
 * The ledger's reports, computed from the lines alone (no stored balance can
 * drift from them). All amounts are exact BigInts, per currency.
 */

type AccountInfo = {
  id: number
  code: string
  name: string
  type: AccountType
  role: string | null
}

export type BalanceRow = AccountInfo & { currency: string; balance: bigint }

function tenant(): number {
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new MissingTenantContextError('Ledger report')
  return tenantId
}

async function accounts(tenantId: number) {
  const rows = await db
    .from('ledger_accounts')
    .where('tenant_id', tenantId)
    .select('id', 'code', 'name', 'type', 'role')
  return new Map<number, AccountInfo>(
    rows.map((row: any) => [Number(row.id), { ...row, id: Number(row.id) }])
  )
}

/* Sum of lines per account and currency (debit positive), in an optional date range. */
export async function balancesByAccount(range: {
  from?: string
  to?: string
}): Promise<BalanceRow[]> {
  const tenantId = tenant()
  const query = db
    .from('ledger_lines')
    .where('tenant_id', tenantId)
    .groupBy('account_id', 'currency')
    .select('account_id', 'currency')
    .select(db.raw(`${sumOfAmounts('amount')} AS balance`))
  if (range.from) query.where('entry_date', '>=', range.from)
  if (range.to) query.where('entry_date', '<=', range.to)
  const [rows, chart] = await Promise.all([query, accounts(tenantId)])
  return rows
    .map((row: any) => ({
      ...chart.get(Number(row.account_id))!,
      currency: row.currency,
      balance: toBigInt(row.balance),
    }))
    .sort(
      (a: BalanceRow, b: BalanceRow) =>
        a.currency.localeCompare(b.currency) || a.code.localeCompare(b.code)
    )
}

export type CurrencyTotals<K extends string> = Record<string, Record<K, bigint>>

function addTo<K extends string>(
  totals: CurrencyTotals<K>,
  currency: string,
  key: K,
  amount: bigint,
  keys: K[]
) {
  totals[currency] ??= Object.fromEntries(keys.map((k) => [k, 0n])) as Record<K, bigint>
  totals[currency][key] += amount
}

/* Every account's net balance as of `to` (or within from..to), debit and credit columns summing equal per currency. */
export async function trialBalance(range: { from?: string; to?: string }) {
  const balances = await balancesByAccount(range)
  const rows = balances.filter((row) => row.balance !== 0n)
  const totals: CurrencyTotals<'debit' | 'credit'> = {}
  for (const row of rows) {
    addTo(
      totals,
      row.currency,
      row.balance > 0n ? 'debit' : 'credit',
      row.balance > 0n ? row.balance : -row.balance,
      ['debit', 'credit']
    )
  }
  return { rows, totals }
}

/* Revenue and expenses for from..to, per currency, with net income and the months between. */
export async function profitAndLoss(range: { from?: string; to?: string }) {
  const tenantId = tenant()
  const balances = await balancesByAccount(range)
  const rows = balances.filter(
    (row) => (row.type === 'revenue' || row.type === 'expense') && row.balance !== 0n
  )
  const keys: ('revenue' | 'expense' | 'netIncome')[] = ['revenue', 'expense', 'netIncome']
  const totals: CurrencyTotals<'revenue' | 'expense' | 'netIncome'> = {}
  const lines = rows.map((row) => {
    // revenue is credit-normal: show it positive
    const amount = row.type === 'revenue' ? -row.balance : row.balance
    addTo(totals, row.currency, row.type as 'revenue' | 'expense', amount, keys)
    return { ...row, amount }
  })
  for (const total of Object.values(totals)) total.netIncome = total.revenue - total.expense

  const monthly = db
    .from('ledger_lines as l')
    .join('ledger_accounts as a', 'a.id', 'l.account_id')
    .where('l.tenant_id', tenantId)
    .whereIn('a.type', ['revenue', 'expense'])
    .groupByRaw('substr(l.entry_date, 1, 7), l.currency, a.type')
    .select(db.raw('substr(l.entry_date, 1, 7) AS month'), 'l.currency', 'a.type')
    .select(db.raw(`${sumOfAmounts('l.amount')} AS total`))
    .orderBy('month')
  if (range.from) monthly.where('l.entry_date', '>=', range.from)
  if (range.to) monthly.where('l.entry_date', '<=', range.to)
  const months: Record<
    string,
    { month: string; revenue: bigint; expense: bigint; netIncome: bigint }[]
  > = {}
  for (const row of await monthly) {
    const series = (months[row.currency] ??= [])
    let point = series.find((p) => p.month === row.month)
    if (!point) series.push((point = { month: row.month, revenue: 0n, expense: 0n, netIncome: 0n }))
    const total = toBigInt(row.total)
    if (row.type === 'revenue') point.revenue += -total
    else point.expense += total
    point.netIncome = point.revenue - point.expense
  }
  return { rows: lines, totals, months }
}

/*
 * Assets, liabilities and equity as of a date, per currency. Profit not yet
 * closed (revenue - expenses to date) is shown as current earnings within
 * equity, so assets = liabilities + equity holds without a closing entry.
 */
export async function balanceSheet(asOf: string) {
  const all = await balancesByAccount({ to: asOf })
  const keys: ('assets' | 'liabilities' | 'equity')[] = ['assets', 'liabilities', 'equity']
  const totals: CurrencyTotals<'assets' | 'liabilities' | 'equity'> = {}
  const earnings: Record<string, bigint> = {}
  const rows: (BalanceRow & { amount: bigint })[] = []
  for (const row of all) {
    if (row.type === 'revenue' || row.type === 'expense') {
      earnings[row.currency] = (earnings[row.currency] ?? 0n) - row.balance
      continue
    }
    if (row.balance === 0n) continue
    const amount = row.type === 'asset' ? row.balance : -row.balance
    addTo(
      totals,
      row.currency,
      row.type === 'asset' ? 'assets' : row.type === 'liability' ? 'liabilities' : 'equity',
      amount,
      keys
    )
    rows.push({ ...row, amount })
  }
  for (const [currency, amount] of Object.entries(earnings)) {
    if (amount === 0n) continue
    addTo(totals, currency, 'equity', amount, keys)
  }
  const balanced = Object.fromEntries(
    Object.entries(totals).map(([currency, t]) => [currency, t.assets === t.liabilities + t.equity])
  )
  return { rows, currentEarnings: earnings, totals, balanced }
}

export type StatementRow = {
  id: number
  entryId: number
  date: string
  currency: string
  memo: string
  sourcePlugin: string
  sourceReference: string | null
  amount: bigint
  balance: bigint
}

/* The lines of one account in a date range with a running balance per currency. */
export async function statement(
  accountId: number,
  range: { from?: string; to?: string },
  page: { offset: number; limit: number }
) {
  const tenantId = tenant()
  const opening: Record<string, bigint> = {}
  if (range.from) {
    const rows = await db
      .from('ledger_lines')
      .where('tenant_id', tenantId)
      .where('account_id', accountId)
      .where('entry_date', '<', range.from)
      .groupBy('currency')
      .select('currency')
      .select(db.raw(`${sumOfAmounts('amount')} AS balance`))
    for (const row of rows) opening[row.currency] = toBigInt(row.balance)
  }
  const bindings: (string | number)[] = [tenantId, accountId]
  let where = 'l.tenant_id = ? AND l.account_id = ?'
  if (range.from) {
    where += ' AND l.entry_date >= ?'
    bindings.push(range.from)
  }
  if (range.to) {
    where += ' AND l.entry_date <= ?'
    bindings.push(range.to)
  }
  const result = await db.rawQuery(
    `SELECT * FROM (
       SELECT l.id, l.entry_id, l.entry_date, l.currency, e.memo, e.source_plugin, e.source_reference,
         CAST(l.amount AS TEXT) AS amount,
         ${sumOfAmounts('l.amount', 'OVER (PARTITION BY l.currency ORDER BY l.entry_date, l.id)')} AS running
       FROM ledger_lines l JOIN ledger_entries e ON e.id = l.entry_id
       WHERE ${where}
     ) s ORDER BY entry_date, id LIMIT ? OFFSET ?`,
    [...bindings, page.limit, page.offset]
  )
  const countRow = await db
    .from('ledger_lines as l')
    .whereRaw(where, bindings)
    .count('* as total')
    .first()
  const rows: StatementRow[] = (Array.isArray(result) ? result : result.rows).map((row: any) => ({
    id: Number(row.id),
    entryId: Number(row.entry_id),
    date: row.entry_date as string,
    currency: row.currency as string,
    memo: row.memo as string,
    sourcePlugin: row.source_plugin as string,
    sourceReference: row.source_reference as string | null,
    amount: toBigInt(row.amount),
    balance: (opening[row.currency] ?? 0n) + toBigInt(row.running),
  }))
  return { opening, rows, total: Number(countRow?.total ?? 0) }
}
