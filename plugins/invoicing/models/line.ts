import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { flag, money } from './columns.js'

/* A line of a quote, an invoice or a credit note, with its exact amounts (see services/amounts.ts). */
export default class Line extends TenantScopedModel {
  static table = 'invoicing_lines'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare quoteId: number | null

  @column()
  declare invoiceId: number | null

  @column()
  declare position: number

  @column()
  declare itemId: number | null

  @column()
  declare description: string

  @money()
  declare quantityMilli: bigint

  @money()
  declare unitPrice: bigint

  @column()
  declare taxRateId: number | null

  @column()
  declare taxRatePpm: number

  @flag()
  declare taxInclusive: boolean

  @money()
  declare net: bigint

  @money()
  declare tax: bigint

  @money()
  declare total: bigint
}
