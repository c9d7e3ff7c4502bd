import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { json } from './columns.js'

/* weekday: ISO 1 (Monday) to 7; minutes after local midnight */
export type OpeningHours = { weekday: number; opens: number; closes: number }[]

/* A place where the salon works, with its IANA time zone and opening hours. */
export default class Location extends TenantScopedModel {
  static table = 'salon_locations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare timeZone: string

  @column(json)
  declare openingHours: OpeningHours

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
