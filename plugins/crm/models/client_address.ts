import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* A postal address of a client. */
export default class ClientAddress extends TenantScopedModel {
  static table = 'crm_client_addresses'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare label: string | null

  @column({ columnName: 'line1' })
  declare line1: string

  @column({ columnName: 'line2' })
  declare line2: string | null

  @column()
  declare city: string | null

  @column()
  declare region: string | null

  @column()
  declare postalCode: string | null

  @column()
  declare country: string | null

  @column()
  declare position: number
}
