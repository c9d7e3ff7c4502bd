import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'
import { money } from './columns.js'

/* The part of a payment applied to one invoice (and how much of it was refunded). */
export default class PaymentAllocation extends TenantScopedModel {
  static table = 'invoicing_payment_allocations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare paymentId: number

  @column()
  declare invoiceId: number

  @money()
  declare amount: bigint

  @money()
  declare amountRefunded: bigint
}
