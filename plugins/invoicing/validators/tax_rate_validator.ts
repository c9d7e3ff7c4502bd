import vine from '@vinejs/vine'
import { ratePercent } from './rules.js'

export const createTaxRateValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(100),
    /* percent, 0..100, at most 4 decimals ("20", "8.875") */
    rate: ratePercent(),
    /* true: prices include the tax */
    inclusive: vine.boolean().optional(),
  })
)

/* the rate itself cannot change (documents keep the rate they used): archive and create another */
export const updateTaxRateValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(100).optional(),
    archived: vine.boolean().optional(),
  })
)
