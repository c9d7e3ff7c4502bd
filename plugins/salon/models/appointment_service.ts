import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { epochMs, minor } from './columns.js'

/* One service of an appointment, at its place in the sequence. */
export default class AppointmentService extends TenantScopedModel {
  static table = 'salon_appointment_services'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare appointmentId: number

  @column()
  declare serviceId: number

  @column()
  declare position: number

  @column(epochMs)
  declare startsMs: number

  @column(epochMs)
  declare endsMs: number

  @column(minor)
  declare priceMinor: string
}
