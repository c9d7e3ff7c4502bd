import vine from '@vinejs/vine'
import { isCurrency } from '#ledger/currencies'
import { ACCOUNT_TYPES } from '#ledger/models/ledger_account'

const knownCurrency = vine.createRule((value, _options, field) => {
  if (typeof value === 'string' && !isCurrency(value)) {
    field.report(`Unknown ISO 4217 currency "${value}"`, 'currency', field)
  }
})

const currency = () => vine.string().trim().toUpperCase().fixedLength(3).use(knownCurrency())

export const createAccountValidator = vine.compile(
  vine.object({
    code: vine
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$/),
    name: vine.string().trim().minLength(1).maxLength(120),
    type: vine.enum(ACCOUNT_TYPES),
    parentId: vine.number().withoutDecimals().positive().optional(),
    /* omit for an account that takes any currency */
    currency: currency().optional(),
  })
)

export const updateAccountValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(120).optional(),
    isActive: vine.boolean().optional(),
    parentId: vine.number().withoutDecimals().positive().nullable().optional(),
  })
)

/*
 * A journal entry as the API takes it. Amounts are integer minor units sent
 * as strings ("12345" is 123.45 EUR; safe JSON integers are accepted too);
 * the ledger service checks them exactly (no floats) and points at the line.
 */
export const postEntryValidator = vine.compile(
  vine.object({
    date: vine.string().trim(),
    memo: vine.string().maxLength(500).optional(),
    currency: currency().optional(),
    reference: vine.string().maxLength(200).optional(),
    /* defaults to the Idempotency-Key header; one of them is required */
    idempotencyKey: vine.string().minLength(1).maxLength(255).optional(),
    /* post into a locked period (needs ledger.periods.override; audited) */
    overrideLock: vine.boolean().optional(),
    lines: vine
      .array(
        vine.object({
          /* account code (string) or id (number) */
          account: vine.any(),
          side: vine.enum(['debit', 'credit'] as const),
          /* integer minor units, as a string */
          amount: vine.any(),
          currency: currency().optional(),
        })
      )
      .minLength(2)
      .maxLength(500),
  })
)

export const reverseEntryValidator = vine.compile(
  vine.object({
    date: vine.string().trim().optional(),
    memo: vine.string().maxLength(500).optional(),
    overrideLock: vine.boolean().optional(),
  })
)
