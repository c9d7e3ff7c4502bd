import { DateTime } from 'luxon'
import { belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#tenancy/tenant_scoped_model'
import User from '#models/user'
import Role from '#models/role'
import Tenant from '#models/tenant'

/* A user's place in a tenant: exactly one role per tenant. */
export default class Membership extends TenantScopedModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare roleId: number

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => Role)
  declare role: BelongsTo<typeof Role>

  @belongsTo(() => Tenant)
  declare tenant: BelongsTo<typeof Tenant>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
