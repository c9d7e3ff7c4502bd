import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#tenancy/tenant_scoped_model'

export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const
export type AccountType = (typeof ACCOUNT_TYPES)[number]
export type Side = 'debit' | 'credit'

/* Assets and expenses grow on the debit side; the others on the credit side. */
export function normalSideOf(type: AccountType): Side {
  return type === 'asset' || type === 'expense' ? 'debit' : 'credit'
}

/* One account of a tenant's chart. Its code, type and currency never change once created. */
export default class LedgerAccount extends TenantScopedModel {
  static table = 'ledger_accounts'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare code: string

  @column()
  declare name: string

  @column()
  declare type: AccountType

  @column()
  declare normalSide: Side

  @column()
  declare parentId: number | null

  @column()
  declare currency: string | null

  /* SQLite hands booleans back as 0/1 */
  @column({ consume: (value: unknown) => Boolean(value) })
  declare isActive: boolean

  @column()
  declare role: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
