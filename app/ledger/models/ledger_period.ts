import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#tenancy/tenant_scoped_model'

/* A calendar month of a tenant's books, locked or open. No row means open. */
export default class LedgerPeriod extends TenantScopedModel {
  static table = 'ledger_periods'

  @column({ isPrimary: true })
  declare id: number

  /* YYYY-MM */
  @column()
  declare period: string

  @column({ consume: (value: unknown) => Boolean(value) })
  declare isLocked: boolean

  @column()
  declare changedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
