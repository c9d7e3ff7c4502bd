import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

/* A staff member's recurring working interval or break at a location, in local minutes. */
export default class WeeklyHours extends TenantScopedModel {
  static table = 'salon_weekly_hours'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare locationId: number

  /* ISO weekday, 1 = Monday */
  @column()
  declare weekday: number

  @column()
  declare kind: 'work' | 'break'

  @column()
  declare startsMinute: number

  @column()
  declare endsMinute: number
}
