import type { PluginPageContext } from '#plinth'
import { agingQueryValidator } from '../validators/invoice_validator.js'
import { arAging, BUCKETS } from './aging.js'
import { clientNames } from './invoicing_pages.js'

/*
 * GET /app/invoicing/reports/ar-aging: open balances per client by days past
 * due, one table per currency (never converted), ?asOf=YYYY-MM-DD&currency=.
 * A bad filter is dropped with a message (the report as of today).
 */
export async function agingProps(ctx: PluginPageContext) {
  const wanted = {
    asOf: typeof ctx.query.asOf === 'string' && ctx.query.asOf ? ctx.query.asOf : undefined,
    currency:
      typeof ctx.query.currency === 'string' && ctx.query.currency ? ctx.query.currency : undefined,
  }
  let input: { asOf?: string; currency?: string } = {}
  let problem: string | null = null
  try {
    input = await agingQueryValidator.validate(wanted)
  } catch (error: any) {
    problem = error?.messages?.[0]?.message ?? 'Invalid filter'
  }
  const report = await arAging(input)
  const names = await clientNames(report.rows.map((row) => row.clientId))
  const currencies = [...report.totals.keys()].sort()
  const amounts = (sums: Record<string, bigint>) =>
    Object.fromEntries(BUCKETS.map((bucket) => [bucket, sums[bucket].toString()]))
  return {
    asOf: report.asOf,
    filters: { asOf: input.asOf ?? '', currency: input.currency ?? '' },
    problem,
    buckets: BUCKETS,
    currencies: currencies.map((currency) => {
      const totals = report.totals.get(currency)!
      return {
        currency,
        rows: report.rows
          .filter((row) => row.currency === currency)
          .map((row) => ({
            clientId: row.clientId,
            clientName: names[row.clientId] ?? `Client ${row.clientId}`,
            invoices: row.invoices,
            buckets: amounts(row.buckets),
            total: row.total.toString(),
          }))
          .sort((a, b) => a.clientName.localeCompare(b.clientName)),
        totals: { buckets: amounts(totals), total: totals.total.toString() },
      }
    }),
  }
}
