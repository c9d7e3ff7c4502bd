import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { money } from './columns.js'

/* Money given back on a payment: at most what is left of it. */
export default class Refund extends TenantScopedModel {
  static table = 'invoicing_refunds'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare paymentId: number

  @money()
  declare amount: bigint

  @column()
  declare refundedOn: string

  @column()
  declare reason: string | null

  @column()
  declare ledgerEntryId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
