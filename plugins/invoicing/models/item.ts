import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#plinth'
import { flag } from './columns.js'
import ItemPrice from './item_price.js'

/* A product or service of the catalog, with a price per currency. */
export default class Item extends TenantScopedModel {
  static table = 'invoicing_items'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kind: 'product' | 'service'

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column()
  declare taxRateId: number | null

  @flag()
  declare archived: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => ItemPrice)
  declare prices: HasMany<typeof ItemPrice>
}
