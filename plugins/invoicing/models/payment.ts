import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#plinth'
import { money } from './columns.js'
import PaymentAllocation from './payment_allocation.js'

/* Money received from a client, allocated to one or more of its invoices. */
export default class Payment extends TenantScopedModel {
  static table = 'invoicing_payments'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare currency: string

  @money()
  declare amount: bigint

  @money()
  declare amountRefunded: bigint

  @column()
  declare receivedOn: string

  @column()
  declare method: string | null

  @column()
  declare reference: string | null

  @column()
  declare ledgerEntryId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => PaymentAllocation)
  declare allocations: HasMany<typeof PaymentAllocation>
}
