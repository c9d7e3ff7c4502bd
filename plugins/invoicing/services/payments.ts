import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError, audit, parseMinorUnits } from '#plinth'
import Invoice from '../models/invoice.js'
import Payment from '../models/payment.js'
import PaymentAllocation from '../models/payment_allocation.js'
import Refund from '../models/refund.js'
import { requireClient } from './clients.js'
import { today } from './dates.js'
import { lockInvoice, settleStatus } from './invoices.js'
import { invoicingSettings, publish } from './invoicing_plugin.js'
import { postPayment, postRefund } from './postings.js'

/*
 * Payments: partial or whole, never more than what is owed (a payment larger
 * than the balance is refused, nothing is kept "on account"). A payment
 * without an invoice is applied to the client's oldest open invoices first
 * (earliest due date) in the payment's currency. Refunds give back at most
 * what is left of a payment and reopen the invoices it paid, newest first.
 */
export type PaymentInput = {
  amount: string | number
  currency?: string
  receivedOn?: string
  method?: string | null
  reference?: string | null
}

function positiveAmount(raw: string | number, field = 'amount'): bigint {
  const parsed = parseMinorUnits(raw)
  if (!parsed.ok) throw ApiError.validation(field, `The ${field} ${parsed.reason}`)
  if (parsed.value <= 0n)
    throw ApiError.validation(field, `The ${field} must be a positive number of minor units`)
  return parsed.value
}

const OPEN = ['sent', 'partially_paid']

async function record(
  clientId: number,
  currency: string,
  amount: bigint,
  input: PaymentInput,
  invoices: Invoice[],
  trx: TransactionClientContract
) {
  const settings = await invoicingSettings(trx)
  const payment = await Payment.create(
    {
      clientId,
      currency,
      amount,
      amountRefunded: 0n,
      receivedOn: input.receivedOn ?? today(),
      method: input.method ?? null,
      reference: input.reference ?? null,
    },
    { client: trx }
  )
  let left = amount
  const paid: number[] = []
  for (const invoice of invoices) {
    if (left === 0n) break
    const applied = invoice.balance < left ? invoice.balance : left
    if (applied <= 0n) continue
    await PaymentAllocation.create(
      { paymentId: payment.id, invoiceId: invoice.id, amount: applied, amountRefunded: 0n },
      { client: trx }
    )
    invoice.amountPaid = invoice.amountPaid + applied
    await settleStatus(invoice, trx)
    paid.push(invoice.id)
    left -= applied
  }
  const entry = await postPayment(payment, settings, trx)
  payment.ledgerEntryId = entry?.id ?? null
  await payment.useTransaction(trx).save()
  await audit(
    {
      action: 'invoicing.payment.received',
      subjectType: 'invoicing-payment',
      subjectId: payment.id,
      meta: { amount: amount.toString(), currency, invoiceIds: paid },
    },
    trx
  )
  await publish(
    'invoicing.payment.received',
    { type: 'invoicing.payment', id: payment.id },
    { paymentId: payment.id, clientId, currency, amount: amount.toString(), invoiceIds: paid },
    trx
  )
  return payment
}

function tooMuch(amount: bigint, owed: bigint, currency: string) {
  return new ApiError(
    422,
    'PAYMENT_EXCEEDS_BALANCE',
    `The payment (${amount}) is more than what is owed (${owed}, minor units of ${currency})`,
    { pointer: '/data/attributes/amount', meta: { balance: owed.toString() } }
  )
}

/* A payment of one issued invoice, in its currency. */
export async function payInvoice(invoiceId: number, input: PaymentInput) {
  return db.transaction(async (trx) => {
    const invoice = await lockInvoice(invoiceId, trx)
    const amount = positiveAmount(input.amount)
    if (!OPEN.includes(invoice.status))
      throw ApiError.conflict(
        invoice.status === 'paid' ? 'INVOICE_PAID' : 'INVOICE_NOT_OPEN',
        invoice.status === 'paid'
          ? 'This invoice is paid: nothing is owed'
          : `This invoice is ${invoice.status}: only an issued, unpaid invoice takes payments`
      )
    if (input.currency !== undefined && input.currency !== invoice.currency)
      throw new ApiError(
        422,
        'CURRENCY_MISMATCH',
        `The invoice is in ${invoice.currency}, the payment in ${input.currency}: nothing is converted`,
        { pointer: '/data/attributes/currency' }
      )
    if (amount > invoice.balance) throw tooMuch(amount, invoice.balance, invoice.currency)
    return record(invoice.clientId!, invoice.currency, amount, input, [invoice], trx)
  })
}

/* A payment from a client, applied to its oldest open invoices in that currency first. */
export async function payClient(clientId: number, input: PaymentInput & { currency: string }) {
  return db.transaction(async (trx) => {
    await requireClient(clientId, trx)
    const amount = positiveAmount(input.amount)
    const invoices = await Invoice.query({ client: trx })
      .where('kind', 'invoice')
      .where('client_id', clientId)
      .where('currency', input.currency)
      .whereIn('status', OPEN)
      // rows are locked in id order, as refunds lock them, so the two cannot deadlock
      .orderBy('id', 'asc')
      .forUpdate()
    invoices.sort(
      (x, y) =>
        (x.dueDate ?? '').localeCompare(y.dueDate ?? '') ||
        (x.issueDate ?? '').localeCompare(y.issueDate ?? '') ||
        x.id - y.id
    )
    const owed = invoices.reduce((sum, invoice) => sum + invoice.balance, 0n)
    if (amount > owed) throw tooMuch(amount, owed, input.currency)
    return record(clientId, input.currency, amount, input, invoices, trx)
  })
}

/* Gives back part or all of a payment; the invoices it paid (newest first) are owed again. */
export async function refundPayment(
  paymentId: number,
  input: { amount: string | number; refundedOn?: string; reason?: string | null }
) {
  const settings = await invoicingSettings()
  return db.transaction(async (trx) => {
    const payment = await Payment.query({ client: trx }).where('id', paymentId).forUpdate().first()
    if (!payment) throw ApiError.notFound('Payment')
    const amount = positiveAmount(input.amount)
    const refundable = payment.amount - payment.amountRefunded
    if (amount > refundable)
      throw new ApiError(
        422,
        'REFUND_EXCEEDS_PAYMENT',
        `The refund (${amount}) is more than what is left of the payment (${refundable}, minor units)`,
        { pointer: '/data/attributes/amount', meta: { refundable: refundable.toString() } }
      )
    const refund = await Refund.create(
      {
        paymentId: payment.id,
        amount,
        refundedOn: input.refundedOn ?? today(),
        reason: input.reason ?? null,
      },
      { client: trx }
    )
    const allocations = await PaymentAllocation.query({ client: trx })
      .where('payment_id', payment.id)
      .orderBy('id', 'desc')
    // lock the invoices it paid in id order (as payments do) before changing any
    const locked = await Invoice.query({ client: trx })
      .whereIn(
        'id',
        allocations.map((allocation) => allocation.invoiceId)
      )
      .orderBy('id')
      .forUpdate()
    const invoices = new Map(locked.map((invoice) => [invoice.id, invoice]))
    let left = amount
    for (const allocation of allocations) {
      if (left === 0n) break
      const back = allocation.amount - allocation.amountRefunded
      const taken = back < left ? back : left
      if (taken <= 0n) continue
      allocation.amountRefunded = allocation.amountRefunded + taken
      await allocation.useTransaction(trx).save()
      const invoice = invoices.get(allocation.invoiceId)!
      invoice.amountPaid = invoice.amountPaid - taken
      await settleStatus(invoice, trx)
      left -= taken
    }
    payment.amountRefunded = payment.amountRefunded + amount
    await payment.useTransaction(trx).save()
    const entry = await postRefund(refund, payment.currency, settings, trx)
    refund.ledgerEntryId = entry?.id ?? null
    await refund.useTransaction(trx).save()
    await audit(
      {
        action: 'invoicing.payment.refunded',
        subjectType: 'invoicing-payment',
        subjectId: payment.id,
        meta: { refundId: refund.id, amount: amount.toString() },
      },
      trx
    )
    await publish(
      'invoicing.payment.refunded',
      { type: 'invoicing.payment', id: payment.id },
      {
        paymentId: payment.id,
        clientId: payment.clientId,
        currency: payment.currency,
        amount: amount.toString(),
        invoiceIds: allocations.map((allocation) => allocation.invoiceId),
      },
      trx
    )
    return refund
  })
}
