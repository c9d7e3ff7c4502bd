import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Appointment from '../models/appointment.js'

/*
 * Deposits and fees are always recorded on the appointment (deposit, fee,
 * feeReason). When the tenant has the invoicing plugin on, each is also
 * billed through it, in the booking's or the change's transaction (the
 * invoice is issued, so it reaches the ledger); `invoiceRef` keeps the
 * invoice number. Invoicing is optional: it is loaded only when present.
 */
type InvoicingApi = typeof import('../../invoicing/public.js')

async function invoicingApi(): Promise<InvoicingApi | null> {
  try {
    return await import('../../invoicing/public.js')
  } catch {
    return null
  }
}

export type Biller = (
  appointment: Appointment,
  what: 'deposit' | 'late_cancel' | 'no_show',
  amount: string,
  trx: TransactionClientContract
) => Promise<void>

const DESCRIPTIONS = {
  deposit: 'Deposit for appointment',
  late_cancel: 'Late cancellation fee for appointment',
  no_show: 'No-show fee for appointment',
}

/* call before opening the transaction: whether (and how) to bill, for the tenant in context */
export async function biller(): Promise<Biller | null> {
  const api = await invoicingApi()
  if (!api || !(await api.isInvoicingEnabled())) return null
  return async (appointment, what, amount, trx) => {
    if (BigInt(amount) <= 0n) return
    const invoice = await api.createInvoice({
      clientId: appointment.clientId,
      currency: appointment.currency,
      lines: [
        {
          description: `${DESCRIPTIONS[what]} #${appointment.id}`,
          quantity: 1,
          unitPrice: amount,
        },
      ],
      sourceReference: `salon:appointment:${appointment.id}:${what}`,
      issue: true,
      trx,
    })
    appointment.invoiceRef = invoice.number ?? String(invoice.id)
    await appointment.useTransaction(trx).save()
  }
}

/*
 * Kept for callers written against the first version: deposits and fees are
 * now billed inside book(), cancel() and close() (same transaction), so there
 * is nothing left to do after them.
 */
export async function settleFees(_appointments: Appointment[], _what: 'deposit' | 'fee') {}
