import vine from '@vinejs/vine'
import { isCurrency, parseMinorUnits } from '#plinth'
import { parseQuantity, parseRatePercent } from '../services/amounts.js'

/* Field rules shared by the invoicing validators. */

const knownCurrency = vine.createRule((value, _options, field) => {
  if (typeof value === 'string' && !isCurrency(value))
    field.report(`Unknown ISO 4217 currency "${value}"`, 'currency', field)
})

export const currency = () => vine.string().trim().toUpperCase().fixedLength(3).use(knownCurrency())

/* integer minor units ≥ 0, as a string ("12345" = 123.45 EUR) or a safe JSON integer */
const minorUnitsRule = vine.createRule((value, _options, field) => {
  const parsed = parseMinorUnits(value)
  if (!parsed.ok) field.report(`The {{ field }} ${parsed.reason}`, 'minorUnits', field)
  else if (parsed.value < 0n)
    field.report('The {{ field }} must not be negative', 'minorUnits', field)
})
export const minorUnits = () =>
  vine
    .any()
    .use(minorUnitsRule())
    .transform((value) => value as string | number)

/* a positive quantity with at most 3 decimals: 2, "1.5" */
const quantityRule = vine.createRule((value, _options, field) => {
  if (parseQuantity(value) === null)
    field.report(
      'The {{ field }} must be a positive number with at most 3 decimals',
      'quantity',
      field
    )
})
export const quantity = () =>
  vine
    .any()
    .use(quantityRule())
    .transform((value) => value as string | number)

/* a percentage from 0 to 100 with at most 4 decimals: "20", "8.875" */
const ratePercentRule = vine.createRule((value, _options, field) => {
  if (parseRatePercent(value) === null)
    field.report(
      'The {{ field }} must be a percentage from 0 to 100 with at most 4 decimals',
      'ratePercent',
      field
    )
})
export const ratePercent = () =>
  vine
    .any()
    .use(ratePercentRule())
    .transform((value) => value as string | number)

/* a real calendar date, YYYY-MM-DD */
const calendarDateRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const date = match ? new Date(`${value}T00:00:00Z`) : null
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    field.report('The {{ field }} must be a calendar date written YYYY-MM-DD', 'date', field)
})
export const calendarDate = () => vine.string().trim().use(calendarDateRule())

export const id = () => vine.number().withoutDecimals().positive()

/* a document line: an item of the catalog (its price in the document's currency) or a free line */
export const documentLine = () =>
  vine.object({
    itemId: id().optional(),
    description: vine.string().trim().minLength(1).maxLength(500).optional(),
    quantity: quantity(),
    /* minor units; defaults to the item's price in the document's currency */
    unitPrice: minorUnits().optional(),
    /* a line in another currency than the document's is refused */
    currency: currency().optional(),
    /* defaults to the item's tax rate; null for none */
    taxRateId: id().nullable().optional(),
  })

export const documentLines = () => vine.array(documentLine()).minLength(1).maxLength(200)
