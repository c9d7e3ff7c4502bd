import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { epochMs } from './columns.js'

/* A staff member is away between two instants. */
export default class TimeOff extends TenantScopedModel {
  static table = 'salon_time_off'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column(epochMs)
  declare startsMs: number

  @column(epochMs)
  declare endsMs: number

  @column()
  declare reason: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
