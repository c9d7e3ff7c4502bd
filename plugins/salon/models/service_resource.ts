import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* A resource a service needs (one unit of it for the service's time). */
export default class ServiceResource extends TenantScopedModel {
  static table = 'salon_service_resources'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare serviceId: number

  @column()
  declare resourceId: number
}
