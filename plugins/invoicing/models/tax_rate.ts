import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { flag } from './columns.js'

/* A tax rate in millionths (20% = 200000), added on top (exclusive) or included in prices. */
export default class TaxRate extends TenantScopedModel {
  static table = 'invoicing_tax_rates'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare ratePpm: number

  @flag()
  declare inclusive: boolean

  @flag()
  declare archived: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
