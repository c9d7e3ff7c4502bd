import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#plinth'
import { money } from './columns.js'
import Line from './line.js'

export type InvoiceStatus = 'draft' | 'sent' | 'partially_paid' | 'paid' | 'void'
export type DocumentKind = 'invoice' | 'credit_note'

/*
 * An invoice or a credit note (kind). An invoice's balance is its total less
 * what was paid (net of refunds) and credited.
 */
export default class Invoice extends TenantScopedModel {
  static table = 'invoicing_invoices'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kind: DocumentKind

  @column()
  declare clientId: number | null

  @column()
  declare number: number | null

  @column()
  declare displayNumber: string | null

  @column()
  declare status: InvoiceStatus

  @column()
  declare currency: string

  @column()
  declare issueDate: string | null

  @column()
  declare dueDate: string | null

  @column()
  declare termsDays: number | null

  @money()
  declare subtotal: bigint

  @money()
  declare taxTotal: bigint

  @money()
  declare total: bigint

  @money()
  declare amountPaid: bigint

  @money()
  declare amountCredited: bigint

  @column()
  declare creditedInvoiceId: number | null

  @column()
  declare quoteId: number | null

  @column()
  declare sourceReference: string | null

  @column()
  declare notes: string | null

  @column()
  declare reason: string | null

  @column()
  declare ledgerEntryId: number | null

  @column()
  declare voidEntryId: number | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime()
  declare paidAt: DateTime | null

  @column.dateTime()
  declare voidedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => Line)
  declare lines: HasMany<typeof Line>

  get balance(): bigint {
    return this.total - this.amountPaid - this.amountCredited
  }
}
