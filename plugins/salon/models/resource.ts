import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* A chair, a room or a machine; capacity = how many appointments it holds at once. */
export default class Resource extends TenantScopedModel {
  static table = 'salon_resources'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare locationId: number | null

  @column()
  declare name: string

  @column()
  declare capacity: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
