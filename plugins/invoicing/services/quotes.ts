import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import { ApiError, audit, parseMinorUnits } from '#plinth'
import Quote from '../models/quote.js'
import Line from '../models/line.js'
import { buildLines, saveLines, type LineInput } from './document_lines.js'
import { requireClient } from './clients.js'
import { today } from './dates.js'
import { createInvoice, issueInvoice } from './invoices.js'
import { publish } from './invoicing_plugin.js'

/*
 * Quotes: draft → sent → approved (the client's typed name is the signature)
 * → converted into an invoice. The expiry date must be in the future when the
 * quote is written or sent; an expired quote cannot be approved. The deposit
 * asked for cannot exceed the total.
 */
export type QuoteInput = {
  clientId?: number | null
  currency: string
  expiresOn: string
  lines: LineInput[]
  deposit?: string | number
  notes?: string | null
}

function futureExpiry(expiresOn: string) {
  if (expiresOn <= today())
    throw ApiError.validation('expiresOn', 'The expiry date must be in the future')
}

function depositOf(raw: string | number | undefined, total: bigint): bigint {
  if (raw === undefined) return 0n
  const parsed = parseMinorUnits(raw)
  if (!parsed.ok || parsed.value < 0n)
    throw ApiError.validation('deposit', 'The deposit must be a non-negative number of minor units')
  if (parsed.value > total)
    throw ApiError.validation(
      'deposit',
      `The deposit (${parsed.value}) cannot exceed the quote's total (${total}, minor units)`
    )
  return parsed.value
}

async function lockQuote(id: number, trx: TransactionClientContract) {
  const quote = await Quote.query({ client: trx }).where('id', id).forUpdate().first()
  if (!quote) throw ApiError.notFound('Quote')
  return quote
}

export async function createQuote(input: QuoteInput) {
  futureExpiry(input.expiresOn)
  return db.transaction(async (trx) => {
    if (input.clientId) await requireClient(input.clientId, trx)
    const built = await buildLines(input.lines, input.currency, trx)
    const quote = await Quote.create(
      {
        clientId: input.clientId ?? null,
        status: 'draft',
        currency: input.currency,
        expiresOn: input.expiresOn,
        subtotal: built.totals.net,
        taxTotal: built.totals.tax,
        total: built.totals.total,
        deposit: depositOf(input.deposit, built.totals.total),
        notes: input.notes ?? null,
      },
      { client: trx }
    )
    await saveLines({ quoteId: quote.id }, built.lines, trx)
    await audit(
      { action: 'invoicing.quote.created', subjectType: 'invoicing-quote', subjectId: quote.id },
      trx
    )
    return quote
  })
}

export async function updateQuote(id: number, input: Partial<Omit<QuoteInput, 'currency'>>) {
  return db.transaction(async (trx) => {
    const quote = await lockQuote(id, trx)
    if (quote.status !== 'draft')
      throw ApiError.conflict('QUOTE_NOT_DRAFT', `This quote is ${quote.status}: it cannot change`)
    if (input.expiresOn !== undefined) {
      futureExpiry(input.expiresOn)
      quote.expiresOn = input.expiresOn
    }
    if (input.clientId) await requireClient(input.clientId, trx)
    if (input.clientId !== undefined) quote.clientId = input.clientId
    if (input.lines) {
      const built = await buildLines(input.lines, quote.currency, trx)
      await saveLines({ quoteId: quote.id }, built.lines, trx)
      quote.merge({
        subtotal: built.totals.net,
        taxTotal: built.totals.tax,
        total: built.totals.total,
      })
    }
    quote.deposit = depositOf(input.deposit ?? quote.deposit.toString(), quote.total)
    if (input.notes !== undefined) quote.notes = input.notes
    await quote.useTransaction(trx).save()
    await audit(
      { action: 'invoicing.quote.updated', subjectType: 'invoicing-quote', subjectId: quote.id },
      trx
    )
    return quote
  })
}

export async function sendQuote(id: number) {
  return db.transaction(async (trx) => {
    const quote = await lockQuote(id, trx)
    if (quote.status !== 'draft' && quote.status !== 'sent')
      throw ApiError.conflict('QUOTE_NOT_DRAFT', `This quote is ${quote.status}`)
    if (!quote.clientId)
      throw ApiError.validation('clientId', 'A quote needs a client before it is sent')
    if (quote.expiresOn <= today())
      throw ApiError.conflict('QUOTE_EXPIRED', `This quote expired on ${quote.expiresOn}`)
    quote.merge({ status: 'sent', sentAt: DateTime.now() })
    await quote.useTransaction(trx).save()
    await audit(
      { action: 'invoicing.quote.sent', subjectType: 'invoicing-quote', subjectId: quote.id },
      trx
    )
    return quote
  })
}

/* The client approves a sent, unexpired quote by typing their name; the name and time are kept. */
export async function approveQuote(id: number, input: { signatureName: string }) {
  return db.transaction(async (trx) => {
    const quote = await lockQuote(id, trx)
    if (quote.status !== 'sent')
      throw ApiError.conflict(
        'QUOTE_NOT_SENT',
        quote.status === 'draft'
          ? 'Send the quote before it can be approved'
          : `This quote is already ${quote.status}`
      )
    if (quote.expiresOn < today())
      throw ApiError.conflict(
        'QUOTE_EXPIRED',
        `This quote expired on ${quote.expiresOn}: it can no longer be approved`
      )
    quote.merge({
      status: 'approved',
      signatureName: input.signatureName,
      approvedAt: DateTime.now(),
    })
    await quote.useTransaction(trx).save()
    await audit(
      {
        action: 'invoicing.quote.approved',
        subjectType: 'invoicing-quote',
        subjectId: quote.id,
        meta: { signatureName: input.signatureName },
      },
      trx
    )
    await publish(
      'invoicing.quote.approved',
      { type: 'invoicing.quote', id: quote.id },
      { quoteId: quote.id, signatureName: input.signatureName },
      trx
    )
    return quote
  })
}

/* An approved quote becomes an invoice with the same lines (a draft, or issued when asked). */
export async function convertQuote(id: number, input: { issue?: boolean } = {}) {
  return db.transaction(async (trx) => {
    const quote = await lockQuote(id, trx)
    if (quote.status !== 'approved')
      throw ApiError.conflict(
        'QUOTE_NOT_APPROVED',
        quote.status === 'converted'
          ? `This quote was already converted into invoice ${quote.invoiceId}`
          : 'Only an approved quote can be converted into an invoice'
      )
    const lines = await Line.query({ client: trx }).where('quote_id', quote.id).orderBy('position')
    const invoice = await createInvoice(
      {
        clientId: quote.clientId,
        currency: quote.currency,
        quoteId: quote.id,
        notes: quote.notes,
        sourceReference: `quote:${quote.id}`,
        lines: [],
      },
      {
        trx,
        // the quote's lines as the client approved them (rates and prices of that day)
        built: {
          lines: lines.map((line) => ({
            position: line.position,
            itemId: line.itemId,
            description: line.description,
            quantityMilli: line.quantityMilli,
            unitPrice: line.unitPrice,
            taxRateId: line.taxRateId,
            taxRatePpm: line.taxRatePpm,
            taxInclusive: line.taxInclusive,
            net: line.net,
            tax: line.tax,
            total: line.total,
          })),
          totals: { net: quote.subtotal, tax: quote.taxTotal, total: quote.total },
        },
      }
    )
    if (input.issue) await issueInvoice(invoice.id, {}, { trx })
    quote.merge({ status: 'converted', invoiceId: invoice.id })
    await quote.useTransaction(trx).save()
    await audit(
      {
        action: 'invoicing.quote.converted',
        subjectType: 'invoicing-quote',
        subjectId: quote.id,
        meta: { invoiceId: invoice.id },
      },
      trx
    )
    return { quote, invoiceId: invoice.id }
  })
}
