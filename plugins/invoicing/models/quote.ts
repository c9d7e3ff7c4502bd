import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#plinth'
import { money } from './columns.js'
import Line from './line.js'

export type QuoteStatus = 'draft' | 'sent' | 'approved' | 'converted'

/* A quote: lines, an expiry date, a deposit; approved with the client's typed name. */
export default class Quote extends TenantScopedModel {
  static table = 'invoicing_quotes'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number | null

  @column()
  declare status: QuoteStatus

  @column()
  declare currency: string

  @column()
  declare expiresOn: string

  @money()
  declare subtotal: bigint

  @money()
  declare taxTotal: bigint

  @money()
  declare total: bigint

  @money()
  declare deposit: bigint

  @column()
  declare notes: string | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column()
  declare signatureName: string | null

  @column.dateTime()
  declare approvedAt: DateTime | null

  @column()
  declare invoiceId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => Line)
  declare lines: HasMany<typeof Line>
}
