import { ApiError, type PluginActionContext, type PluginPageContext } from '#plinth'
import Payment from '../models/payment.js'
import Refund from '../models/refund.js'
import Invoice from '../models/invoice.js'
import { clientPaymentValidator, refundValidator } from '../validators/payment_validator.js'
import { payClient, refundPayment } from './payments.js'
import { paymentResource, refundResource } from './resources.js'
import { today } from './dates.js'
import {
  clientNames,
  flat,
  idOf,
  majorToMinor,
  pageNumber,
  withAmountsInMajorUnits,
} from './invoicing_pages.js'

const PAGE_SIZE = 50

/*
 * GET /app/invoicing/payments: payments, newest first, with the invoices each
 * paid and its refunds; ?clientId=. Clients with open invoices (per currency)
 * for the form that records a payment without an invoice.
 */
export async function paymentListProps(ctx: PluginPageContext) {
  const clientId = idOf(ctx.query.clientId)
  const query = Payment.query().preload('allocations', (q) => q.orderBy('id'))
  if (clientId) query.where('client_id', clientId)
  const result = await query.orderBy('id', 'desc').paginate(pageNumber(ctx.query.page), PAGE_SIZE)
  const payments = result.all()
  const invoiceIds = [...new Set(payments.flatMap((p) => p.allocations.map((a) => a.invoiceId)))]
  const numbers = new Map(
    (invoiceIds.length
      ? await Invoice.query().whereIn('id', invoiceIds).select('id', 'display_number')
      : []
    ).map((invoice) => [invoice.id, invoice.displayNumber])
  )
  const refunds = payments.length
    ? await Refund.query()
        .whereIn(
          'payment_id',
          payments.map((payment) => payment.id)
        )
        .orderBy('id')
    : []
  // who owes what, for recording a payment without an invoice (applied oldest first)
  const open = await Invoice.query()
    .where('kind', 'invoice')
    .whereIn('status', ['sent', 'partially_paid'])
    .select('client_id', 'currency')
    .groupBy('client_id', 'currency')
    .limit(500)
  const names = await clientNames([
    ...payments.map((payment) => payment.clientId),
    ...open.map((row) => row.clientId),
  ])
  return {
    filters: { clientId: clientId ?? null },
    payments: payments.map((payment) => ({
      ...flat(paymentResource(payment)),
      clientName: names[payment.clientId] ?? null,
      allocations: payment.allocations.map((allocation) => ({
        invoiceId: allocation.invoiceId,
        number: numbers.get(allocation.invoiceId) ?? null,
        amount: allocation.amount.toString(),
      })),
      refunds: refunds
        .filter((refund) => refund.paymentId === payment.id)
        .map((refund) => flat(refundResource(refund))),
    })),
    payers: open
      .filter((row) => row.clientId !== null)
      .map((row) => ({
        clientId: row.clientId!,
        name: names[row.clientId!] ?? `Client ${row.clientId}`,
        currency: row.currency,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.currency.localeCompare(b.currency)),
    pagination: { page: result.currentPage, totalPages: result.lastPage, total: result.total },
    today: today(),
    can: { payments: ctx.permissions.has('invoicing.payments') },
  }
}

/* POST /payments: a client's payment without an invoice, applied to its oldest open invoices */
export async function clientPaymentAction(ctx: PluginActionContext) {
  const clientId = idOf(ctx.body.clientId)
  if (!clientId) throw ApiError.validation('clientId', 'Choose the client who paid')
  const currency = typeof ctx.body.currency === 'string' ? ctx.body.currency : ''
  const input = await clientPaymentValidator.validate({
    currency,
    amount: majorToMinor(ctx.body.amount, currency),
    receivedOn: ctx.body.receivedOn || undefined,
    method: ctx.body.method || null,
    reference: ctx.body.reference || null,
  })
  const payment = await withAmountsInMajorUnits(input.currency, () => payClient(clientId, input))
  return { notice: `Payment ${payment.id} recorded.` }
}

/* POST /payments/:id/refunds: at most what is left of the payment, typed in its currency */
export async function refundAction(ctx: PluginActionContext) {
  const id = idOf(ctx.params.id)
  const payment = id ? await Payment.find(id) : null
  if (!payment) throw ApiError.notFound('Payment')
  const input = await refundValidator.validate({
    amount: majorToMinor(ctx.body.amount, payment.currency),
    refundedOn: ctx.body.refundedOn || undefined,
    reason: ctx.body.reason || null,
  })
  await withAmountsInMajorUnits(payment.currency, () => refundPayment(payment.id, input))
  return { notice: `Refund of payment ${payment.id} recorded.` }
}
