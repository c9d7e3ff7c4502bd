import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import { ApiError, audit, isCurrency, tenantContext } from '#plinth'
import Invoice from '../models/invoice.js'
import { buildLines, saveLines, type BuiltLines, type LineInput } from './document_lines.js'
import { requireClient } from './clients.js'
import { addDays, today } from './dates.js'
import { displayNumber, nextNumber } from './numbering.js'
import { postCreditNote, postInvoiceIssued, postInvoiceVoided } from './postings.js'
import { invoicingSettings, publish, type InvoicingSettings } from './invoicing_plugin.js'

/*
 * Invoices and credit notes: a draft is free to change; issuing it (send)
 * gives it the tenant's next number, its dates, and posts it to the ledger,
 * all in one transaction. Issued lines never change: a credit note corrects
 * them. A paid invoice can be neither deleted nor voided.
 */
export type CreateInvoiceInput = {
  clientId?: number | null
  currency: string
  lines: LineInput[]
  termsDays?: number
  dueDate?: string | null
  notes?: string | null
  sourceReference?: string | null
  quoteId?: number | null
}

export type UpdateInvoiceInput = Partial<
  Pick<CreateInvoiceInput, 'clientId' | 'lines' | 'termsDays' | 'dueDate' | 'notes'>
>

const run = <T>(
  trx: TransactionClientContract | undefined,
  work: (trx: TransactionClientContract) => Promise<T>
) => (trx ? work(trx) : db.transaction(work))

function currentTenant(): number {
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new Error('invoicing: no tenant in context')
  return tenantId
}

export async function lockInvoice(id: number, trx: TransactionClientContract) {
  const invoice = await Invoice.query({ client: trx })
    .where('id', id)
    .where('kind', 'invoice')
    .forUpdate()
    .first()
  if (!invoice) throw ApiError.notFound('Invoice')
  return invoice
}

export const eventPayload = (invoice: Invoice) => ({
  invoiceId: invoice.id,
  number: invoice.displayNumber,
  clientId: invoice.clientId,
  currency: invoice.currency,
  total: invoice.total.toString(),
  balance: invoice.balance.toString(),
  dueDate: invoice.dueDate,
  sourceReference: invoice.sourceReference,
})

export async function createInvoice(
  input: CreateInvoiceInput,
  options: {
    trx?: TransactionClientContract
    settings?: InvoicingSettings
    /* lines already computed (a quote's, converted as they were priced) */
    built?: BuiltLines
  } = {}
): Promise<Invoice> {
  if (!isCurrency(input.currency))
    throw ApiError.validation('currency', `Unknown ISO 4217 currency "${input.currency}"`)
  if (input.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(input.dueDate))
    throw ApiError.validation('dueDate', 'The dueDate must be a calendar date written YYYY-MM-DD')
  const settings = options.settings ?? (await invoicingSettings(options.trx))
  return run(options.trx, async (trx) => {
    if (input.clientId) await requireClient(input.clientId, trx)
    const built = options.built ?? (await buildLines(input.lines, input.currency, trx))
    const invoice = await Invoice.create(
      {
        kind: 'invoice',
        clientId: input.clientId ?? null,
        status: 'draft',
        currency: input.currency,
        termsDays: input.termsDays ?? settings.defaultTermsDays,
        dueDate: input.dueDate ?? null,
        subtotal: built.totals.net,
        taxTotal: built.totals.tax,
        total: built.totals.total,
        amountPaid: 0n,
        amountCredited: 0n,
        notes: input.notes ?? null,
        sourceReference: input.sourceReference ?? null,
        quoteId: input.quoteId ?? null,
      },
      { client: trx }
    )
    await saveLines({ invoiceId: invoice.id }, built.lines, trx)
    await audit(
      {
        action: 'invoicing.invoice.created',
        subjectType: 'invoicing-invoice',
        subjectId: invoice.id,
      },
      trx
    )
    return invoice
  })
}

export async function updateInvoice(id: number, input: UpdateInvoiceInput) {
  return db.transaction(async (trx) => {
    const invoice = await lockInvoice(id, trx)
    const changes = Object.keys(input).filter((key) => (input as any)[key] !== undefined)
    if (invoice.status !== 'draft' && changes.some((key) => key !== 'notes'))
      throw ApiError.conflict(
        'INVOICE_NOT_DRAFT',
        `Invoice ${invoice.displayNumber} is ${invoice.status}: its lines, client and dates cannot change (issue a credit note instead)`
      )
    if (input.clientId) await requireClient(input.clientId, trx)
    if (input.lines) {
      const built = await buildLines(input.lines, invoice.currency, trx)
      await saveLines({ invoiceId: invoice.id }, built.lines, trx)
      invoice.merge({
        subtotal: built.totals.net,
        taxTotal: built.totals.tax,
        total: built.totals.total,
      })
    }
    if (input.clientId !== undefined) invoice.clientId = input.clientId
    if (input.termsDays !== undefined) invoice.termsDays = input.termsDays
    if (input.dueDate !== undefined) invoice.dueDate = input.dueDate
    if (input.notes !== undefined) invoice.notes = input.notes
    await invoice.useTransaction(trx).save()
    await audit(
      {
        action: 'invoicing.invoice.updated',
        subjectType: 'invoicing-invoice',
        subjectId: invoice.id,
        meta: { changes },
      },
      trx
    )
    return invoice
  })
}

/*
 * Issues a draft: next number, issue and due dates, the ledger posting (AR /
 * revenue / tax payable) and invoicing.invoice.issued + sent, in one transaction.
 */
export async function issueInvoice(
  id: number,
  input: { issueDate?: string } = {},
  options: { trx?: TransactionClientContract; settings?: InvoicingSettings } = {}
): Promise<Invoice> {
  const settings = options.settings ?? (await invoicingSettings(options.trx))
  const tenantId = currentTenant()
  return run(options.trx, async (trx) => {
    const invoice = await lockInvoice(id, trx)
    if (invoice.status !== 'draft')
      throw ApiError.conflict(
        'INVOICE_ALREADY_ISSUED',
        `Invoice ${invoice.displayNumber} is already ${invoice.status}`
      )
    if (!invoice.clientId)
      throw ApiError.validation('clientId', 'An invoice needs a client before it is issued')
    await requireClient(invoice.clientId, trx)
    const issueDate = input.issueDate ?? today()
    const dueDate =
      invoice.dueDate ?? addDays(issueDate, invoice.termsDays ?? settings.defaultTermsDays)
    if (dueDate < issueDate)
      throw ApiError.validation('dueDate', 'The due date cannot be before the issue date')
    const entry = await postInvoiceIssued(invoice, issueDate, settings, trx)
    // the number last: its counter row stays locked until commit, so concurrent
    // issues wait on it only for the few statements left, not for the posting
    const number = await nextNumber(tenantId, 'invoice', trx)
    invoice.merge({
      number,
      displayNumber: displayNumber(settings.invoicePrefix, number),
      issueDate,
      dueDate,
      status: 'sent',
      sentAt: DateTime.now(),
      ledgerEntryId: entry?.id ?? null,
    })
    await invoice.useTransaction(trx).save()
    await audit(
      {
        action: 'invoicing.invoice.issued',
        subjectType: 'invoicing-invoice',
        subjectId: invoice.id,
        meta: { number: invoice.displayNumber, total: invoice.total.toString() },
      },
      trx
    )
    const aggregate = { type: 'invoicing.invoice', id: invoice.id }
    await publish('invoicing.invoice.issued', aggregate, eventPayload(invoice), trx)
    await publish('invoicing.invoice.sent', aggregate, eventPayload(invoice), trx)
    if (invoice.total === 0n) await settleStatus(invoice, trx)
    return invoice
  })
}

/* sent → partially_paid → paid as payments and credits come in (and back on refunds) */
export async function settleStatus(invoice: Invoice, trx: TransactionClientContract) {
  if (invoice.status === 'draft' || invoice.status === 'void') return
  const before = invoice.status
  const balance = invoice.balance
  invoice.status = balance <= 0n ? 'paid' : invoice.amountPaid > 0n ? 'partially_paid' : 'sent'
  invoice.paidAt = invoice.status === 'paid' ? (invoice.paidAt ?? DateTime.now()) : null
  await invoice.useTransaction(trx).save()
  if (before !== 'paid' && invoice.status === 'paid')
    await publish(
      'invoicing.invoice.paid',
      { type: 'invoicing.invoice', id: invoice.id },
      eventPayload(invoice),
      trx
    )
}

/* Voids an issued invoice nobody paid or credited (posting the issue's mirror), or a draft. */
export async function voidInvoice(id: number, input: { reason?: string } = {}) {
  const settings = await invoicingSettings()
  return db.transaction(async (trx) => {
    const invoice = await lockInvoice(id, trx)
    if (invoice.status === 'void')
      throw ApiError.conflict('INVOICE_VOID', `Invoice ${invoice.id} is already void`)
    if (invoice.status === 'paid')
      throw ApiError.conflict('INVOICE_PAID', 'A paid invoice cannot be voided (refund it first)')
    if (invoice.amountPaid > 0n || invoice.amountCredited > 0n)
      throw ApiError.conflict(
        'INVOICE_HAS_PAYMENTS',
        'This invoice has payments or credit notes applied: refund or credit it instead of voiding'
      )
    const wasIssued = invoice.status !== 'draft'
    invoice.merge({ status: 'void', voidedAt: DateTime.now(), reason: input.reason ?? null })
    if (wasIssued) {
      const entry = await postInvoiceVoided(invoice, today(), settings, trx)
      invoice.voidEntryId = entry?.id ?? null
    }
    await invoice.useTransaction(trx).save()
    await audit(
      {
        action: 'invoicing.invoice.voided',
        subjectType: 'invoicing-invoice',
        subjectId: invoice.id,
        meta: { reason: input.reason ?? null },
      },
      trx
    )
    await publish(
      'invoicing.invoice.voided',
      { type: 'invoicing.invoice', id: invoice.id },
      eventPayload(invoice),
      trx
    )
    return invoice
  })
}

/* Only drafts can be deleted: an issued invoice keeps its number (void it), a paid one stays. */
export async function deleteInvoice(id: number) {
  await db.transaction(async (trx) => {
    const invoice = await lockInvoice(id, trx)
    if (invoice.status === 'paid')
      throw ApiError.conflict('INVOICE_PAID', 'A paid invoice cannot be deleted')
    if (invoice.status !== 'draft')
      throw ApiError.conflict(
        'INVOICE_NOT_DRAFT',
        `Invoice ${invoice.displayNumber} is ${invoice.status}: only drafts can be deleted (void it instead)`
      )
    await trx.from('invoicing_quotes').where('invoice_id', invoice.id).update({ invoice_id: null })
    await invoice.useTransaction(trx).delete()
    await audit(
      { action: 'invoicing.invoice.deleted', subjectType: 'invoicing-invoice', subjectId: id },
      trx
    )
  })
}

/*
 * A credit note against an issued invoice: its own number (credit-note
 * series), lines in the invoice's currency, a total of at most the invoice's
 * balance; posts the opposite of an issue and lowers the invoice's balance.
 */
export async function createCreditNote(
  invoiceId: number,
  input: { lines: LineInput[]; reason: string; issueDate?: string; currency?: string }
) {
  const settings = await invoicingSettings()
  const tenantId = currentTenant()
  return db.transaction(async (trx) => {
    const invoice = await lockInvoice(invoiceId, trx)
    if (!['sent', 'partially_paid'].includes(invoice.status))
      throw ApiError.conflict(
        'INVOICE_NOT_OPEN',
        `Invoice ${invoice.displayNumber ?? invoice.id} is ${invoice.status}: only an open issued invoice can be credited`
      )
    if (input.currency !== undefined && input.currency !== invoice.currency)
      throw new ApiError(
        422,
        'CURRENCY_MISMATCH',
        `The invoice is in ${invoice.currency}: a credit note is in the invoice's currency`,
        { pointer: '/data/attributes/currency' }
      )
    const built = await buildLines(input.lines, invoice.currency, trx)
    if (built.totals.total <= 0n)
      throw ApiError.validation('lines', 'A credit note must credit a positive amount')
    if (built.totals.total > invoice.balance)
      throw new ApiError(
        422,
        'CREDIT_EXCEEDS_BALANCE',
        `The credit note's total (${built.totals.total}) is more than the invoice's balance (${invoice.balance}, minor units)`,
        { pointer: '/data/attributes/lines', meta: { balance: invoice.balance.toString() } }
      )
    const issueDate = input.issueDate ?? today()
    const number = await nextNumber(tenantId, 'credit_note', trx)
    const note = await Invoice.create(
      {
        kind: 'credit_note',
        clientId: invoice.clientId,
        number,
        displayNumber: displayNumber(settings.creditNotePrefix, number),
        status: 'sent',
        currency: invoice.currency,
        issueDate,
        subtotal: built.totals.net,
        taxTotal: built.totals.tax,
        total: built.totals.total,
        amountPaid: 0n,
        amountCredited: 0n,
        creditedInvoiceId: invoice.id,
        reason: input.reason,
        sentAt: DateTime.now(),
      },
      { client: trx }
    )
    await saveLines({ invoiceId: note.id }, built.lines, trx)
    const entry = await postCreditNote(note, issueDate, settings, trx)
    note.ledgerEntryId = entry?.id ?? null
    await note.useTransaction(trx).save()
    invoice.amountCredited = invoice.amountCredited + note.total
    await settleStatus(invoice, trx)
    await audit(
      {
        action: 'invoicing.credit_note.issued',
        subjectType: 'invoicing-invoice',
        subjectId: invoice.id,
        meta: { creditNoteId: note.id, number: note.displayNumber, total: note.total.toString() },
      },
      trx
    )
    await publish(
      'invoicing.credit_note.issued',
      { type: 'invoicing.invoice', id: invoice.id },
      { ...eventPayload(note), invoiceId: note.id },
      trx
    )
    return note
  })
}
