import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { json } from './columns.js'

/* Working intervals of one local date replacing the weekly ones (none = a day off). */
export default class DateOverride extends TenantScopedModel {
  static table = 'salon_date_overrides'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare locationId: number

  @column()
  declare date: string

  @column(json)
  declare intervals: [number, number][]
}
