import Invoice from '../models/invoice.js'
import { daysBetween, today } from './dates.js'

/*
 * Accounts receivable aging: the open balance of every issued, unpaid invoice,
 * per client and currency (never converted), by days past its due date as of
 * a date: current (not yet due), 1-30, 31-60, 61-90, over 90.
 */
export const BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const
type Bucket = (typeof BUCKETS)[number]

export function bucketOf(daysOverdue: number): Bucket {
  if (daysOverdue <= 0) return 'current'
  if (daysOverdue <= 30) return '1-30'
  if (daysOverdue <= 60) return '31-60'
  if (daysOverdue <= 90) return '61-90'
  return '90+'
}

export type AgingRow = {
  clientId: number
  currency: string
  buckets: Record<Bucket, bigint>
  total: bigint
  invoices: number
}

export async function arAging(options: { asOf?: string; currency?: string } = {}) {
  const asOf = options.asOf ?? today()
  const query = Invoice.query()
    .where('kind', 'invoice')
    .whereIn('status', ['sent', 'partially_paid'])
    .where('issue_date', '<=', asOf)
    .orderBy('client_id')
    .orderBy('currency')
  if (options.currency) query.where('currency', options.currency)
  const rows = new Map<string, AgingRow>()
  const totals = new Map<string, Record<Bucket, bigint> & { total: bigint }>()
  for (const invoice of await query) {
    const balance = invoice.balance
    if (balance <= 0n) continue
    const bucket = bucketOf(daysBetween(invoice.dueDate ?? asOf, asOf))
    const key = `${invoice.clientId}:${invoice.currency}`
    const row = rows.get(key) ?? {
      clientId: invoice.clientId!,
      currency: invoice.currency,
      buckets: Object.fromEntries(BUCKETS.map((name) => [name, 0n])) as Record<Bucket, bigint>,
      total: 0n,
      invoices: 0,
    }
    row.buckets[bucket] += balance
    row.total += balance
    row.invoices += 1
    rows.set(key, row)
    const sum =
      totals.get(invoice.currency) ??
      ({ ...Object.fromEntries(BUCKETS.map((name) => [name, 0n])), total: 0n } as Record<
        Bucket,
        bigint
      > & { total: bigint })
    sum[bucket] += balance
    sum.total += balance
    totals.set(invoice.currency, sum)
  }
  return { asOf, rows: [...rows.values()], totals }
}
