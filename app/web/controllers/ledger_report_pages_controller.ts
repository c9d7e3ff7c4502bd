import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import ReportsController from '#ledger/controllers/reports_controller'
import { hasPermission } from '#abilities/main'
import { balanceSheet, profitAndLoss, trialBalance } from '#ledger/reports'
import { dateParam, dateRange, wantsCsv } from '#ledger/controllers/query_params'
import { csvUrl, pageOrBack } from '#web/ledger_page_support'
import type {
  LedgerBalanceSheetProps,
  LedgerProfitAndLossProps,
  LedgerTrialBalanceProps,
} from '#web/page_props'

const REPORTS_PATH = '/app/ledger/reports'

const today = () => DateTime.utc().toISODate()!

const asStrings = <K extends string>(totals: Record<string, Record<K, bigint>>) =>
  Object.fromEntries(
    Object.entries(totals).map(([currency, values]) => [
      currency,
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) as Record<
        K,
        string
      >,
    ])
  )

/*
 * The reports as pages, computed by app/ledger/reports.ts with the API's
 * defaults; `?format=csv` on a report's page answers the API's CSV (same
 * controller code), under the session instead of a token.
 */
export default class LedgerReportPagesController {
  /* ?to= (as of, default today), ?from= */
  async trialBalance(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'ledger.read')
    const path = `${REPORTS_PATH}/trial-balance`
    return pageOrBack(ctx, path, async () => {
      if (wantsCsv(ctx)) return new ReportsController().trialBalance(ctx)
      const range = dateRange(ctx)
      const to = range.to ?? today()
      const report = await trialBalance({ from: range.from, to })
      const props: LedgerTrialBalanceProps = {
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
        })),
        totals: asStrings(report.totals),
        csvUrl: csvUrl(path, { from: range.from, to }),
      }
      return ctx.inertia.render('ledger/trial_balance', props)
    })
  }

  /* ?from=&to= (default: the year of `to`, to today) */
  async profitAndLoss(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'ledger.read')
    const path = `${REPORTS_PATH}/profit-and-loss`
    return pageOrBack(ctx, path, async () => {
      if (wantsCsv(ctx)) return new ReportsController().profitAndLoss(ctx)
      const range = dateRange(ctx)
      const to = range.to ?? today()
      const from = range.from ?? `${to.slice(0, 4)}-01-01`
      const report = await profitAndLoss({ from, to })
      const props: LedgerProfitAndLossProps = {
        from,
        to,
        rows: report.rows.map((row) => ({
          accountId: row.id,
          code: row.code,
          name: row.name,
          type: row.type,
          currency: row.currency,
          amount: row.amount.toString(),
        })),
        totals: asStrings(report.totals),
        months: Object.fromEntries(
          Object.entries(report.months).map(([currency, points]) => [
            currency,
            points.map((point) => ({
              month: point.month,
              revenue: point.revenue.toString(),
              expense: point.expense.toString(),
              netIncome: point.netIncome.toString(),
            })),
          ])
        ),
        csvUrl: csvUrl(path, { from, to }),
      }
      return ctx.inertia.render('ledger/profit_and_loss', props)
    })
  }

  /* ?to= (as of, default today) */
  async balanceSheet(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'ledger.read')
    const path = `${REPORTS_PATH}/balance-sheet`
    return pageOrBack(ctx, path, async () => {
      if (wantsCsv(ctx)) return new ReportsController().balanceSheet(ctx)
      const to = dateParam(ctx, 'to') ?? today()
      const report = await balanceSheet(to)
      const props: LedgerBalanceSheetProps = {
        to,
        rows: report.rows.map((row) => ({
          accountId: row.id,
          code: row.code,
          name: row.name,
          type: row.type,
          currency: row.currency,
          amount: row.amount.toString(),
        })),
        currentEarnings: Object.fromEntries(
          Object.entries(report.currentEarnings).map(([currency, amount]) => [
            currency,
            amount.toString(),
          ])
        ),
        totals: asStrings(report.totals),
        balanced: report.balanced,
        csvUrl: csvUrl(path, { to }),
      }
      return ctx.inertia.render('ledger/balance_sheet', props)
    })
  }
}
