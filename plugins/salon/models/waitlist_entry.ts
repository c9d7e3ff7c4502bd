import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { epochMs } from './columns.js'

/* A client waiting for a slot of a service inside a time window. */
export default class WaitlistEntry extends TenantScopedModel {
  static table = 'salon_waitlist_entries'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare serviceId: number

  @column()
  declare staffUserId: number | null

  @column(epochMs)
  declare windowStartsMs: number

  @column(epochMs)
  declare windowEndsMs: number

  @column()
  declare status: 'waiting' | 'offered' | 'closed'

  @column(epochMs)
  declare offeredStartsMs: number | null

  @column()
  declare offeredStaffUserId: number | null

  @column()
  declare offeredFromAppointmentId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
