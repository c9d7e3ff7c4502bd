import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* A team member who can perform a service. */
export default class ServiceStaff extends TenantScopedModel {
  static table = 'salon_service_staff'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare serviceId: number

  @column()
  declare userId: number
}
