import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { resource } from '#http/envelope'
import { formatMinor } from '#ledger/money'
import { trialBalance, profitAndLoss, balanceSheet } from '#ledger/reports'
import { dateParam, dateRange, wantsCsv, sendCsv } from '#ledger/controllers/query_params'

const money = (amount: bigint, currency: string) => ({
  amount: amount.toString(),
  formatted: formatMinor(amount, currency),
})

const stringify = <K extends string>(totals: Record<string, Record<K, bigint>>) =>
  Object.fromEntries(
    Object.entries(totals).map(([currency, values]) => [
      currency,
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, (v as bigint).toString()])),
    ])
  )

/* Reports answer one resource; `?format=csv` gives the same rows as CSV. */
export default class ReportsController {
  /* ?to=YYYY-MM-DD (as of; default today), ?from= to restrict to a range */
  async trialBalance(ctx: HttpContext) {
    const range = dateRange(ctx)
    const to = range.to ?? DateTime.utc().toISODate()!
    const report = await trialBalance({ from: range.from, to })
    if (wantsCsv(ctx)) {
      return sendCsv(
        ctx,
        `trial-balance-${to}.csv`,
        ['currency', 'code', 'account', 'type', 'debit', 'credit'],
        [
          ...report.rows.map((row) => [
            row.currency,
            row.code,
            row.name,
            row.type,
            row.balance > 0n ? formatMinor(row.balance, row.currency) : '',
            row.balance < 0n ? formatMinor(-row.balance, row.currency) : '',
          ]),
          ...Object.entries(report.totals).map(([currency, t]) => [
            currency,
            '',
            'Total',
            '',
            formatMinor(t.debit, currency),
            formatMinor(t.credit, currency),
          ]),
        ]
      )
    }
    return {
      data: resource('ledger-trial-balance', to, {
        from: range.from ?? null,
        to,
        rows: report.rows.map((row) => ({
          accountId: row.id,
          code: row.code,
          name: row.name,
          type: row.type,
          currency: row.currency,
          debit: row.balance > 0n ? row.balance.toString() : '0',
          credit: row.balance < 0n ? (-row.balance).toString() : '0',
          balance: row.balance.toString(),
          formatted: formatMinor(row.balance, row.currency),
        })),
        totals: stringify(report.totals),
      }),
    }
  }

  /* ?from=&to= (default: the current year to today) */
  async profitAndLoss(ctx: HttpContext) {
    const range = dateRange(ctx)
    const to = range.to ?? DateTime.utc().toISODate()!
    const from = range.from ?? `${to.slice(0, 4)}-01-01`
    const report = await profitAndLoss({ from, to })
    if (wantsCsv(ctx)) {
      return sendCsv(
        ctx,
        `profit-and-loss-${from}-${to}.csv`,
        ['currency', 'section', 'code', 'account', 'amount'],
        [
          ...report.rows.map((row) => [
            row.currency,
            row.type,
            row.code,
            row.name,
            formatMinor(row.amount, row.currency),
          ]),
          ...Object.entries(report.totals).flatMap(([currency, t]) => [
            [currency, 'total', '', 'Revenue', formatMinor(t.revenue, currency)],
            [currency, 'total', '', 'Expenses', formatMinor(t.expense, currency)],
            [currency, 'total', '', 'Net income', formatMinor(t.netIncome, currency)],
          ]),
        ]
      )
    }
    return {
      data: resource('ledger-profit-and-loss', `${from}..${to}`, {
        from,
        to,
        rows: report.rows.map((row) => ({
          accountId: row.id,
          code: row.code,
          name: row.name,
          type: row.type,
          currency: row.currency,
          ...money(row.amount, row.currency),
        })),
        totals: stringify(report.totals),
        months: Object.fromEntries(
          Object.entries(report.months).map(([currency, points]) => [
            currency,
            points.map((p) => ({
              month: p.month,
              revenue: p.revenue.toString(),
              expense: p.expense.toString(),
              netIncome: p.netIncome.toString(),
            })),
          ])
        ),
      }),
    }
  }

  /* ?to=YYYY-MM-DD: as of that date (default today) */
  async balanceSheet(ctx: HttpContext) {
    const to = dateParam(ctx, 'to') ?? DateTime.utc().toISODate()!
    const report = await balanceSheet(to)
    if (wantsCsv(ctx)) {
      return sendCsv(
        ctx,
        `balance-sheet-${to}.csv`,
        ['currency', 'section', 'code', 'account', 'amount'],
        [
          ...report.rows.map((row) => [
            row.currency,
            row.type,
            row.code,
            row.name,
            formatMinor(row.amount, row.currency),
          ]),
          ...Object.entries(report.currentEarnings).map(([currency, amount]) => [
            currency,
            'equity',
            '',
            'Current earnings',
            formatMinor(amount, currency),
          ]),
          ...Object.entries(report.totals).flatMap(([currency, t]) => [
            [currency, 'total', '', 'Assets', formatMinor(t.assets, currency)],
            [currency, 'total', '', 'Liabilities', formatMinor(t.liabilities, currency)],
            [currency, 'total', '', 'Equity', formatMinor(t.equity, currency)],
          ]),
        ]
      )
    }
    return {
      data: resource('ledger-balance-sheet', to, {
        to,
        rows: report.rows.map((row) => ({
          accountId: row.id,
          code: row.code,
          name: row.name,
          type: row.type,
          role: row.role,
          currency: row.currency,
          ...money(row.amount, row.currency),
        })),
        currentEarnings: Object.fromEntries(
          Object.entries(report.currentEarnings).map(([c, v]) => [c, v.toString()])
        ),
        totals: stringify(report.totals),
        balanced: report.balanced,
      }),
    }
  }
}
