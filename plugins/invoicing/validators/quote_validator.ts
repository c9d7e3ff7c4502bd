import vine from '@vinejs/vine'
import { calendarDate, currency, documentLines, id, minorUnits } from './rules.js'

export const createQuoteValidator = vine.compile(
  vine.object({
    /* a CRM client; required to send the quote */
    clientId: id().nullable().optional(),
    currency: currency(),
    /* must be after today */
    expiresOn: calendarDate(),
    lines: documentLines(),
    /* minor units, at most the total */
    deposit: minorUnits().optional(),
    notes: vine.string().trim().maxLength(5000).nullable().optional(),
  })
)

/* drafts only; lines given replace the quote's */
export const updateQuoteValidator = vine.compile(
  vine.object({
    clientId: id().nullable().optional(),
    expiresOn: calendarDate().optional(),
    lines: documentLines().optional(),
    deposit: minorUnits().optional(),
    notes: vine.string().trim().maxLength(5000).nullable().optional(),
  })
)

export const approveQuoteValidator = vine.compile(
  vine.object({
    /* the client's name, typed as a signature */
    signatureName: vine.string().trim().minLength(1).maxLength(200),
  })
)

export const convertQuoteValidator = vine.compile(
  vine.object({
    /* issue the invoice at once (number, ledger posting) instead of leaving a draft */
    issue: vine.boolean().optional(),
  })
)
