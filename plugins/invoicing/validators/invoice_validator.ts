import vine from '@vinejs/vine'
import { calendarDate, currency, documentLines, id } from './rules.js'

export const createInvoiceValidator = vine.compile(
  vine.object({
    /* a CRM client; required to issue the invoice */
    clientId: id().nullable().optional(),
    currency: currency(),
    lines: documentLines(),
    /* days from the issue date to the due date (default: the plugin setting) */
    termsDays: vine.number().withoutDecimals().min(0).max(3650).optional(),
    /* overrides the terms; not before the issue date */
    dueDate: calendarDate().optional(),
    notes: vine.string().trim().maxLength(5000).nullable().optional(),
    sourceReference: vine.string().trim().minLength(1).maxLength(200).nullable().optional(),
  })
)

/* drafts only: a sent invoice's lines cannot change (credit it instead) */
export const updateInvoiceValidator = vine.compile(
  vine.object({
    clientId: id().nullable().optional(),
    lines: documentLines().optional(),
    termsDays: vine.number().withoutDecimals().min(0).max(3650).optional(),
    dueDate: calendarDate().nullable().optional(),
    notes: vine.string().trim().maxLength(5000).nullable().optional(),
  })
)

export const sendInvoiceValidator = vine.compile(
  vine.object({
    /* defaults to today */
    issueDate: calendarDate().optional(),
  })
)

export const voidInvoiceValidator = vine.compile(
  vine.object({
    reason: vine.string().trim().maxLength(1000).optional(),
  })
)

export const createCreditNoteValidator = vine.compile(
  vine.object({
    /* what is credited; the credit note's total may not exceed the invoice's balance */
    lines: documentLines(),
    reason: vine.string().trim().minLength(1).maxLength(1000),
    /* defaults to today */
    issueDate: calendarDate().optional(),
    currency: currency().optional(),
  })
)

export const agingQueryValidator = vine.compile(
  vine.object({
    asOf: calendarDate().optional(),
    currency: currency().optional(),
  })
)

export { id }
