import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#tenancy/tenant_scoped_model'

/*
 * A posted journal entry (read side: the ledger service writes entries and
 * lines itself, in one transaction). Rows are immutable in the database.
 */
export default class LedgerEntry extends TenantScopedModel {
  static table = 'ledger_entries'

  /* bigint ids stay below 2^53 long after any real book is full */
  @column({ isPrimary: true, consume: (value: unknown) => Number(value) })
  declare id: number

  @column()
  declare entryDate: string

  @column()
  declare memo: string

  @column()
  declare sourcePlugin: string

  @column()
  declare sourceReference: string | null

  @column()
  declare idempotencyKey: string

  @column({ serializeAs: null })
  declare payloadHash: string

  @column({ consume: (value: unknown) => (value === null ? null : Number(value)) })
  declare reversesEntryId: number | null

  @column({ consume: (value: unknown) => Boolean(value) })
  declare lockOverridden: boolean

  @column()
  declare createdByUserId: number | null

  @column.dateTime()
  declare createdAt: DateTime
}
