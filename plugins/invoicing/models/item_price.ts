import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { money } from './columns.js'

/* An item's unit price in one currency (minor units). */
export default class ItemPrice extends TenantScopedModel {
  static table = 'invoicing_item_prices'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare itemId: number

  @column()
  declare currency: string

  @money()
  declare unitPrice: bigint
}
