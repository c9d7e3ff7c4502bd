import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#plinth'
import { epochMs, minor } from './columns.js'
import AppointmentService from './appointment_service.js'

export type AppointmentStatus = 'booked' | 'cancelled' | 'no_show' | 'completed'

/* A client's visit: one or several consecutive services with one staff member. */
export default class Appointment extends TenantScopedModel {
  static table = 'salon_appointments'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare locationId: number

  @column()
  declare staffUserId: number

  @column()
  declare status: AppointmentStatus

  @column(epochMs)
  declare startsMs: number

  @column(epochMs)
  declare endsMs: number

  @column()
  declare currency: string

  @column(minor)
  declare priceMinor: string

  @column(minor)
  declare depositMinor: string

  @column(minor)
  declare feeMinor: string

  @column()
  declare feeReason: 'late_cancel' | 'no_show' | null

  @column()
  declare seriesId: string | null

  @column()
  declare seriesIndex: number | null

  @column()
  declare notes: string | null

  @column(epochMs)
  declare cancelledAtMs: number | null

  @column()
  declare invoiceRef: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => AppointmentService)
  declare services: HasMany<typeof AppointmentService>
}
