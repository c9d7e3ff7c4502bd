import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* An email address of a client, stored lower-cased. */
export default class ClientEmail extends TenantScopedModel {
  static table = 'crm_client_emails'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare email: string

  @column()
  declare label: string | null

  @column()
  declare position: number
}
