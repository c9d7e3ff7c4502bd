import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* A note written about a client by a team member. */
export default class Note extends TenantScopedModel {
  static table = 'crm_notes'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare authorUserId: number | null

  @column()
  declare body: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
