import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { epochMs } from './columns.js'

/* A reminder offset handled for an appointment (unique per offset: sent once). */
export default class Reminder extends TenantScopedModel {
  static table = 'salon_reminders'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare appointmentId: number

  @column()
  declare offsetMinutes: number

  @column()
  declare outcome: 'sent' | 'skipped'

  @column(epochMs)
  declare atMs: number
}
