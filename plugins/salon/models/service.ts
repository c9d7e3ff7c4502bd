import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#plinth'
import { json } from './columns.js'
import ServiceStaff from './service_staff.js'
import ServiceResource from './service_resource.js'

/* currency code -> amount in minor units (decimal string) */
export type PriceList = Record<string, string>

/* Something the salon sells: a haircut, a colour... */
export default class Service extends TenantScopedModel {
  static table = 'salon_services'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column()
  declare durationMinutes: number

  @column()
  declare bufferBeforeMinutes: number

  @column()
  declare bufferAfterMinutes: number

  @column(json)
  declare prices: PriceList

  @column(json)
  declare deposits: PriceList

  @column({ consume: (value: unknown) => Boolean(value) })
  declare active: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => ServiceStaff)
  declare staff: HasMany<typeof ServiceStaff>

  @hasMany(() => ServiceResource)
  declare resources: HasMany<typeof ServiceResource>
}
