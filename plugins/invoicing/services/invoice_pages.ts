import type { PluginActionContext, PluginPageContext } from '#plinth'
import Invoice, { type InvoiceStatus } from '../models/invoice.js'
import Payment from '../models/payment.js'
import Refund from '../models/refund.js'
import { loadInvoice } from '../controllers/invoices_controller.js'
import {
  createCreditNoteValidator,
  sendInvoiceValidator,
  voidInvoiceValidator,
} from '../validators/invoice_validator.js'
import { invoicePaymentValidator } from '../validators/payment_validator.js'
import { createCreditNote, issueInvoice, voidInvoice } from './invoices.js'
import { payInvoice } from './payments.js'
import { renderInvoicePdf } from './pdf.js'
import { findClient } from './clients.js'
import { invoicingSettings } from './invoicing_plugin.js'
import { invoiceResource, paymentResource, refundResource } from './resources.js'
import { today } from './dates.js'
import {
  clientNames,
  flat,
  idOf,
  majorToMinor,
  oneOf,
  pageNumber,
  withAmountsInMajorUnits,
} from './invoicing_pages.js'

const PAGE_SIZE = 50
export const INVOICE_STATUSES: readonly InvoiceStatus[] = [
  'draft',
  'sent',
  'partially_paid',
  'paid',
  'void',
]
/* "open" = issued and not fully paid, what a bookkeeper filters for most */
const STATUS_FILTERS = [...INVOICE_STATUSES, 'open'] as const

const can = (ctx: PluginPageContext) => ({
  write: ctx.permissions.has('invoicing.write'),
  payments: ctx.permissions.has('invoicing.payments'),
})

/* GET /app/invoicing: invoices, newest first, ?status= (or open) and ?clientId=, 50 a page. */
export async function invoiceListProps(ctx: PluginPageContext) {
  const status = oneOf(ctx.query.status, STATUS_FILTERS)
  const clientId = idOf(ctx.query.clientId)
  const page = pageNumber(ctx.query.page)
  const query = Invoice.query().where('kind', 'invoice')
  if (status === 'open') query.whereIn('status', ['sent', 'partially_paid'])
  else if (status) query.where('status', status)
  if (clientId) query.where('client_id', clientId)
  const result = await query.orderBy('id', 'desc').paginate(page, PAGE_SIZE)
  const invoices = result.all()
  // every client that has an invoice, for the filter
  const billed = await Invoice.query()
    .where('kind', 'invoice')
    .whereNotNull('client_id')
    .distinct('client_id')
    .limit(500)
  const names = await clientNames([
    ...billed.map((row) => row.clientId),
    ...invoices.map((invoice) => invoice.clientId),
  ])
  return {
    filters: { status: status ?? '', clientId: clientId ?? null },
    statuses: STATUS_FILTERS,
    clients: Object.entries(names)
      .map(([id, name]) => ({ id: Number(id), name }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    invoices: invoices.map((invoice) => ({
      id: invoice.id,
      number: invoice.displayNumber,
      status: invoice.status,
      clientId: invoice.clientId,
      clientName: invoice.clientId ? (names[invoice.clientId] ?? null) : null,
      currency: invoice.currency,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      total: invoice.total.toString(),
      balance: (['sent', 'partially_paid'].includes(invoice.status)
        ? invoice.balance
        : 0n
      ).toString(),
    })),
    pagination: {
      page: result.currentPage,
      totalPages: result.lastPage,
      total: result.total,
    },
    can: can(ctx),
  }
}

/* GET /app/invoicing/invoices/:id: lines, totals, payments with their refunds, credit notes. */
export async function invoiceDetailProps(ctx: PluginPageContext) {
  const invoice = await loadInvoice(idOf(ctx.params.id) ?? 0)
  const client = invoice.clientId ? await findClient(invoice.clientId) : null
  const payments = await Payment.query()
    .preload('allocations', (q) => q.orderBy('id'))
    .whereIn('id', (q) =>
      q.from('invoicing_payment_allocations').where('invoice_id', invoice.id).select('payment_id')
    )
    .orderBy('id')
  const refunds = payments.length
    ? await Refund.query()
        .whereIn(
          'payment_id',
          payments.map((payment) => payment.id)
        )
        .orderBy('id')
    : []
  const creditNotes = await Invoice.query()
    .where('kind', 'credit_note')
    .where('credited_invoice_id', invoice.id)
    .preload('lines', (q) => q.orderBy('position'))
    .orderBy('id')
  return {
    invoice: flat(invoiceResource(invoice)),
    client: client ? { id: client.id, name: client.name, email: client.email } : null,
    payments: payments.map((payment) => ({
      ...flat(paymentResource(payment)),
      // the part of the payment applied to this invoice
      appliedHere: (
        payment.allocations.find((allocation) => allocation.invoiceId === invoice.id)?.amount ?? 0n
      ).toString(),
      refunds: refunds
        .filter((refund) => refund.paymentId === payment.id)
        .map((refund) => flat(refundResource(refund))),
    })),
    creditNotes: creditNotes.map((note) => ({
      ...flat(invoiceResource(note)),
      pdfUrl: `/app/invoicing/credit-notes/${note.id}/pdf`,
    })),
    pdfUrl: `/app/invoicing/invoices/${invoice.id}/pdf`,
    today: today(),
    can: can(ctx),
  }
}

const invoiceId = (ctx: PluginActionContext) => idOf(ctx.params.id) ?? 0
const label = (invoice: Invoice) => invoice.displayNumber ?? `draft ${invoice.id}`

/* POST /invoices/:id/send: issue (number, due date, ledger posting) and send */
export async function sendInvoiceAction(ctx: PluginActionContext) {
  const id = invoiceId(ctx)
  await loadInvoice(id)
  const input = await sendInvoiceValidator.validate({ issueDate: ctx.body.issueDate || undefined })
  const issued = await issueInvoice(id, input)
  return { notice: `Invoice ${label(issued)} issued and sent.` }
}

/* POST /invoices/:id/void (posts the reversal) */
export async function voidInvoiceAction(ctx: PluginActionContext) {
  const id = invoiceId(ctx)
  await loadInvoice(id)
  const input = await voidInvoiceValidator.validate({ reason: ctx.body.reason || undefined })
  const voided = await voidInvoice(id, input)
  return { notice: `Invoice ${label(voided)} voided.` }
}

/* POST /invoices/:id/payments: the amount typed in the invoice's currency (major units) */
export async function payInvoiceAction(ctx: PluginActionContext) {
  const id = invoiceId(ctx)
  const invoice = await loadInvoice(id)
  const input = await invoicePaymentValidator.validate({
    amount: majorToMinor(ctx.body.amount, invoice.currency),
    receivedOn: ctx.body.receivedOn || undefined,
    method: ctx.body.method || null,
    reference: ctx.body.reference || null,
  })
  await withAmountsInMajorUnits(invoice.currency, () => payInvoice(id, input))
  return { notice: `Payment recorded on invoice ${label(invoice)}.` }
}

/* POST /invoices/:id/credit-notes: one line (description, amount typed in major units) and a reason */
export async function creditNoteAction(ctx: PluginActionContext) {
  const id = invoiceId(ctx)
  const invoice = await loadInvoice(id)
  const input = await createCreditNoteValidator.validate({
    reason: ctx.body.reason,
    lines: [
      {
        description: ctx.body.description || `Credit on ${label(invoice)}`,
        quantity: 1,
        unitPrice: majorToMinor(ctx.body.amount, invoice.currency),
        taxRateId: null,
      },
    ],
  })
  const note = await createCreditNote(id, input)
  return { notice: `Credit note ${note.displayNumber ?? note.id} issued.` }
}

/* GET /invoices/:id/pdf (and /credit-notes/:id/pdf): the same PDF as the API's, under the session */
export const invoicePdfAction = (ctx: PluginActionContext) => documentPdf(ctx, 'invoice')
export const creditNotePdfAction = (ctx: PluginActionContext) => documentPdf(ctx, 'credit_note')

async function documentPdf(ctx: PluginActionContext, kind: 'invoice' | 'credit_note') {
  const invoice = await loadInvoice(invoiceId(ctx), kind)
  const client = invoice.clientId ? await findClient(invoice.clientId) : null
  const settings = await invoicingSettings()
  const bytes = await renderInvoicePdf(invoice, client, { name: settings.companyName })
  return {
    file: {
      body: bytes,
      contentType: 'application/pdf',
      filename: `${invoice.displayNumber ?? `draft-${invoice.id}`}.pdf`,
      inline: true,
    },
  }
}
