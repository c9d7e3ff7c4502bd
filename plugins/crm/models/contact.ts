import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* A person to talk to at a client (for a company: its people). */
export default class Contact extends TenantScopedModel {
  static table = 'crm_contacts'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare name: string

  @column()
  declare role: string | null

  @column()
  declare email: string | null

  @column()
  declare phone: string | null

  @column()
  declare position: number
}
