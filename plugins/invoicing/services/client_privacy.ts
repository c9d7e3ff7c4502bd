import { crmExtensions, type TimelineEntry } from '../../crm/public.js'
import Invoice from '../models/invoice.js'
import Payment from '../models/payment.js'
import Quote from '../models/quote.js'
import { formatMinor } from '#plinth'

/*
 * Invoicing's part of the CRM's privacy export, erase and client timeline.
 * Erase keeps every amount, number and date (the books must stay whole) and
 * clears the free text that may hold personal data: notes, reasons, the
 * typed signature, payment references.
 */
const money = (amount: bigint, currency: string) => `${formatMinor(amount, currency)} ${currency}`

crmExtensions.register({
  pluginId: 'invoicing',
  async export(clientId) {
    const invoices = await Invoice.query().where('client_id', clientId).orderBy('id')
    const quotes = await Quote.query().where('client_id', clientId).orderBy('id')
    const payments = await Payment.query().where('client_id', clientId).orderBy('id')
    return {
      invoices: invoices.map((invoice) => ({
        id: invoice.id,
        kind: invoice.kind,
        number: invoice.displayNumber,
        status: invoice.status,
        currency: invoice.currency,
        issueDate: invoice.issueDate,
        dueDate: invoice.dueDate,
        total: invoice.total.toString(),
        balance: invoice.kind === 'invoice' ? invoice.balance.toString() : '0',
        notes: invoice.notes,
      })),
      quotes: quotes.map((quote) => ({
        id: quote.id,
        status: quote.status,
        currency: quote.currency,
        total: quote.total.toString(),
        expiresOn: quote.expiresOn,
        signatureName: quote.signatureName,
        approvedAt: quote.approvedAt?.toISO() ?? null,
      })),
      payments: payments.map((payment) => ({
        id: payment.id,
        currency: payment.currency,
        amount: payment.amount.toString(),
        amountRefunded: payment.amountRefunded.toString(),
        receivedOn: payment.receivedOn,
        method: payment.method,
        reference: payment.reference,
      })),
    }
  },
  async erase(clientId, trx) {
    const options = { client: trx }
    await Invoice.query(options).where('client_id', clientId).update({ notes: null, reason: null })
    await Quote.query(options)
      .where('client_id', clientId)
      .update({ notes: null, signature_name: null })
    await Payment.query(options).where('client_id', clientId).update({ reference: null })
  },
  async timeline(clientId) {
    const invoices = await Invoice.query()
      .where('client_id', clientId)
      .whereNot('status', 'draft')
      .orderBy('id', 'desc')
      .limit(200)
    const payments = await Payment.query()
      .where('client_id', clientId)
      .orderBy('id', 'desc')
      .limit(200)
    const entries: TimelineEntry[] = []
    for (const invoice of invoices) {
      const what = invoice.kind === 'credit_note' ? 'Credit note' : 'Invoice'
      entries.push({
        at: (invoice.sentAt ?? invoice.createdAt).toISO()!,
        type: invoice.kind === 'credit_note' ? 'invoicing.credit_note' : 'invoicing.invoice',
        title: `${what} ${invoice.displayNumber} issued`,
        detail: money(invoice.total, invoice.currency),
      })
      if (invoice.paidAt && invoice.kind === 'invoice')
        entries.push({
          at: invoice.paidAt.toISO()!,
          type: 'invoicing.invoice.paid',
          title: `Invoice ${invoice.displayNumber} paid`,
        })
    }
    for (const payment of payments)
      entries.push({
        at: payment.createdAt.toISO()!,
        type: 'invoicing.payment',
        title: 'Payment received',
        detail: money(payment.amount, payment.currency),
      })
    return entries
  },
})
