import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError } from '#plinth'
import { invoicingPlugin, type InvoicingSettings } from './invoicing_plugin.js'

/*
 * What invoicing posts to the tenant's ledger, through the plugin's
 * `ledger.post` capability only. Every entry names its document as source
 * reference and carries an idempotency key derived from the document
 * ("invoicing:invoice:12:issue"), so a retried request or job replays the
 * first entry instead of posting twice. Zero amounts are left out (the
 * ledger takes positive lines only).
 */
type Side = 'debit' | 'credit'
type Line = { account: string; side: Side; amount: bigint }

function post(
  input: { key: string; reference: string; date: string; memo: string; currency: string },
  lines: Line[],
  trx: TransactionClientContract
) {
  const kept = lines.filter((line) => line.amount > 0n)
  if (kept.length < 2) return null
  return invoicingPlugin.context
    .use('ledger.post')
    .post(
      {
        date: input.date,
        memo: input.memo,
        currency: input.currency,
        reference: input.reference,
        idempotencyKey: input.key,
        lines: kept,
      },
      { trx }
    )
    .catch((error) => {
      // an account of the settings the ledger cannot use: say where to fix it
      if (error instanceof ApiError && ACCOUNT_PROBLEMS.has(error.code))
        throw new ApiError(
          409,
          'LEDGER_ACCOUNT_UNUSABLE',
          `${error.message}: check the ledger accounts in the invoicing settings (nothing was posted)`,
          { meta: { ledgerError: error.code } }
        )
      throw error
    })
}

const ACCOUNT_PROBLEMS = new Set(['UNKNOWN_ACCOUNT', 'INACTIVE_ACCOUNT', 'CURRENCY_MISMATCH'])

type Document = {
  id: number
  displayNumber: string | null
  currency: string
  subtotal: bigint
  taxTotal: bigint
  total: bigint
}

/* issue: AR debit (total) / revenue credit (net) / tax payable credit (tax) */
export function postInvoiceIssued(
  invoice: Document,
  date: string,
  settings: InvoicingSettings,
  trx: TransactionClientContract
) {
  const { receivable, revenue, taxPayable } = settings.accounts
  return post(
    {
      key: `invoicing:invoice:${invoice.id}:issue`,
      reference: `invoice:${invoice.id}`,
      date,
      // the number is taken after the posting (see issueInvoice): the id names it
      memo: `Invoice #${invoice.id}`,
      currency: invoice.currency,
    },
    [
      { account: receivable, side: 'debit', amount: invoice.total },
      { account: revenue, side: 'credit', amount: invoice.subtotal },
      { account: taxPayable, side: 'credit', amount: invoice.taxTotal },
    ],
    trx
  )
}

/* void: the mirror image */
export function postInvoiceVoided(
  invoice: Document,
  date: string,
  settings: InvoicingSettings,
  trx: TransactionClientContract
) {
  const { receivable, revenue, taxPayable } = settings.accounts
  return post(
    {
      key: `invoicing:invoice:${invoice.id}:void`,
      reference: `invoice:${invoice.id}`,
      date,
      memo: `Invoice ${invoice.displayNumber} voided`,
      currency: invoice.currency,
    },
    [
      { account: receivable, side: 'credit', amount: invoice.total },
      { account: revenue, side: 'debit', amount: invoice.subtotal },
      { account: taxPayable, side: 'debit', amount: invoice.taxTotal },
    ],
    trx
  )
}

/* credit note: the opposite of an issue, for the credited amounts */
export function postCreditNote(
  note: Document,
  date: string,
  settings: InvoicingSettings,
  trx: TransactionClientContract
) {
  const { receivable, revenue, taxPayable } = settings.accounts
  return post(
    {
      key: `invoicing:credit-note:${note.id}`,
      reference: `credit-note:${note.id}`,
      date,
      memo: `Credit note ${note.displayNumber}`,
      currency: note.currency,
    },
    [
      { account: revenue, side: 'debit', amount: note.subtotal },
      { account: taxPayable, side: 'debit', amount: note.taxTotal },
      { account: receivable, side: 'credit', amount: note.total },
    ],
    trx
  )
}

/* payment: cash debit / AR credit */
export function postPayment(
  payment: { id: number; currency: string; amount: bigint; receivedOn: string },
  settings: InvoicingSettings,
  trx: TransactionClientContract
) {
  const { receivable, cash } = settings.accounts
  return post(
    {
      key: `invoicing:payment:${payment.id}`,
      reference: `payment:${payment.id}`,
      date: payment.receivedOn,
      memo: `Payment ${payment.id}`,
      currency: payment.currency,
    },
    [
      { account: cash, side: 'debit', amount: payment.amount },
      { account: receivable, side: 'credit', amount: payment.amount },
    ],
    trx
  )
}

/* refund: the payment's reversal for the refunded amount, AR debit / cash credit */
export function postRefund(
  refund: { id: number; paymentId: number; amount: bigint; refundedOn: string },
  currency: string,
  settings: InvoicingSettings,
  trx: TransactionClientContract
) {
  const { receivable, cash } = settings.accounts
  return post(
    {
      key: `invoicing:refund:${refund.id}`,
      reference: `refund:${refund.id}`,
      date: refund.refundedOn,
      memo: `Refund ${refund.id} of payment ${refund.paymentId}`,
      currency,
    },
    [
      { account: receivable, side: 'debit', amount: refund.amount },
      { account: cash, side: 'credit', amount: refund.amount },
    ],
    trx
  )
}
