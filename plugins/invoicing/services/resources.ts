import { formatMinor, resource } from '#plinth'
import type Invoice from '../models/invoice.js'
import type Item from '../models/item.js'
import type Line from '../models/line.js'
import type Payment from '../models/payment.js'
import type Quote from '../models/quote.js'
import type Refund from '../models/refund.js'
import type TaxRate from '../models/tax_rate.js'
import { formatQuantity, formatRatePercent } from './amounts.js'
import type { AgingRow } from './aging.js'

/*
 * API shapes. Amounts are strings of integer minor units ("12345"), with the
 * currency beside them; `...Formatted` fields add the major-unit text for display.
 */
const iso = (value: { toISO(): string | null } | null | undefined) => value?.toISO() ?? null

export const taxRateResource = (rate: TaxRate) =>
  resource('invoicing-tax-rate', rate.id, {
    name: rate.name,
    rate: formatRatePercent(rate.ratePpm),
    ratePpm: rate.ratePpm,
    inclusive: rate.inclusive,
    archived: rate.archived,
    createdAt: iso(rate.createdAt),
  })

export const itemResource = (item: Item) =>
  resource('invoicing-item', item.id, {
    kind: item.kind,
    name: item.name,
    description: item.description,
    taxRateId: item.taxRateId,
    archived: item.archived,
    prices: (item.prices ?? []).map((price) => ({
      currency: price.currency,
      unitPrice: price.unitPrice.toString(),
    })),
    createdAt: iso(item.createdAt),
  })

export const lineAttributes = (line: Line, currency: string) => ({
  position: line.position,
  itemId: line.itemId,
  description: line.description,
  quantity: formatQuantity(line.quantityMilli),
  unitPrice: line.unitPrice.toString(),
  taxRateId: line.taxRateId,
  taxRate: formatRatePercent(line.taxRatePpm),
  taxInclusive: line.taxInclusive,
  net: line.net.toString(),
  tax: line.tax.toString(),
  total: line.total.toString(),
  totalFormatted: formatMinor(line.total, currency),
})

export const quoteResource = (quote: Quote) =>
  resource('invoicing-quote', quote.id, {
    clientId: quote.clientId,
    status: quote.status,
    currency: quote.currency,
    expiresOn: quote.expiresOn,
    subtotal: quote.subtotal.toString(),
    taxTotal: quote.taxTotal.toString(),
    total: quote.total.toString(),
    totalFormatted: formatMinor(quote.total, quote.currency),
    deposit: quote.deposit.toString(),
    notes: quote.notes,
    sentAt: iso(quote.sentAt),
    signatureName: quote.signatureName,
    approvedAt: iso(quote.approvedAt),
    invoiceId: quote.invoiceId,
    lines: (quote.lines ?? []).map((line) => lineAttributes(line, quote.currency)),
    createdAt: iso(quote.createdAt),
    updatedAt: iso(quote.updatedAt),
  })

export const invoiceResource = (invoice: Invoice) =>
  resource(
    invoice.kind === 'credit_note' ? 'invoicing-credit-note' : 'invoicing-invoice',
    invoice.id,
    {
      kind: invoice.kind,
      number: invoice.displayNumber,
      sequence: invoice.number,
      status: invoice.status,
      clientId: invoice.clientId,
      currency: invoice.currency,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      termsDays: invoice.termsDays,
      subtotal: invoice.subtotal.toString(),
      taxTotal: invoice.taxTotal.toString(),
      total: invoice.total.toString(),
      totalFormatted: formatMinor(invoice.total, invoice.currency),
      amountPaid: invoice.amountPaid.toString(),
      amountCredited: invoice.amountCredited.toString(),
      balance: (invoice.kind === 'invoice' &&
      invoice.status !== 'void' &&
      invoice.status !== 'draft'
        ? invoice.balance
        : 0n
      ).toString(),
      creditedInvoiceId: invoice.creditedInvoiceId,
      quoteId: invoice.quoteId,
      sourceReference: invoice.sourceReference,
      notes: invoice.notes,
      reason: invoice.reason,
      ledgerEntryId: invoice.ledgerEntryId,
      sentAt: iso(invoice.sentAt),
      paidAt: iso(invoice.paidAt),
      voidedAt: iso(invoice.voidedAt),
      lines: (invoice.lines ?? []).map((line) => lineAttributes(line, invoice.currency)),
      createdAt: iso(invoice.createdAt),
      updatedAt: iso(invoice.updatedAt),
    }
  )

export const paymentResource = (payment: Payment) =>
  resource('invoicing-payment', payment.id, {
    clientId: payment.clientId,
    currency: payment.currency,
    amount: payment.amount.toString(),
    amountRefunded: payment.amountRefunded.toString(),
    receivedOn: payment.receivedOn,
    method: payment.method,
    reference: payment.reference,
    ledgerEntryId: payment.ledgerEntryId,
    allocations: (payment.allocations ?? []).map((allocation) => ({
      invoiceId: allocation.invoiceId,
      amount: allocation.amount.toString(),
      amountRefunded: allocation.amountRefunded.toString(),
    })),
    createdAt: iso(payment.createdAt),
  })

export const refundResource = (refund: Refund) =>
  resource('invoicing-refund', refund.id, {
    paymentId: refund.paymentId,
    amount: refund.amount.toString(),
    refundedOn: refund.refundedOn,
    reason: refund.reason,
    ledgerEntryId: refund.ledgerEntryId,
    createdAt: iso(refund.createdAt),
  })

export const agingResource = (row: AgingRow) =>
  resource('invoicing-ar-aging', `${row.clientId}:${row.currency}`, {
    clientId: row.clientId,
    currency: row.currency,
    current: row.buckets.current.toString(),
    days1to30: row.buckets['1-30'].toString(),
    days31to60: row.buckets['31-60'].toString(),
    days61to90: row.buckets['61-90'].toString(),
    over90: row.buckets['90+'].toString(),
    total: row.total.toString(),
    invoices: row.invoices,
  })
