import vine from '@vinejs/vine'
import { currency, id, minorUnits } from './rules.js'

const prices = () =>
  vine
    .array(vine.object({ currency: currency(), unitPrice: minorUnits() }))
    .maxLength(50)
    .distinct('currency')

export const createItemValidator = vine.compile(
  vine.object({
    kind: vine.enum(['product', 'service'] as const),
    name: vine.string().trim().minLength(1).maxLength(200),
    description: vine.string().trim().maxLength(2000).nullable().optional(),
    taxRateId: id().nullable().optional(),
    prices: prices().optional(),
  })
)

/* prices given replace the item's */
export const updateItemValidator = vine.compile(
  vine.object({
    kind: vine.enum(['product', 'service'] as const).optional(),
    name: vine.string().trim().minLength(1).maxLength(200).optional(),
    description: vine.string().trim().maxLength(2000).nullable().optional(),
    taxRateId: id().nullable().optional(),
    prices: prices().optional(),
    archived: vine.boolean().optional(),
  })
)
