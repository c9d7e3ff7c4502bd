import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* A phone number of a client, stored in E.164 ("+14155550123"). */
export default class ClientPhone extends TenantScopedModel {
  static table = 'crm_client_phones'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare number: string

  @column()
  declare label: string | null

  @column()
  declare position: number
}
