import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* A tag on a client (lower-cased). */
export default class ClientTag extends TenantScopedModel {
  static table = 'crm_client_tags'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare tag: string
}
