import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { epochMs } from './columns.js'

/*
 * The time a live appointment holds on a staff member or a resource unit,
 * buffers included. PostgreSQL's exclusion constraint refuses two overlapping
 * rows for the same subject and unit; SQLite writes them one at a time.
 */
export default class BookingSlot extends TenantScopedModel {
  static table = 'salon_booking_slots'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare appointmentId: number

  @column()
  declare subjectKind: 'staff' | 'resource'

  @column()
  declare subjectId: number

  @column()
  declare unit: number

  @column(epochMs)
  declare startsMs: number

  @column(epochMs)
  declare endsMs: number
}
