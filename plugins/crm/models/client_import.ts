import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

export type ImportStatus = 'pending' | 'queued' | 'running' | 'done' | 'failed'
export type ImportRowError = { row: number; field: string | null; message: string }

const json = {
  prepare: (value: unknown) => JSON.stringify(value),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
}

/* A CSV import of clients, run by a job; progress and per-row errors are kept here. */
export default class ClientImport extends TenantScopedModel {
  static table = 'crm_imports'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number | null

  @column()
  declare status: ImportStatus

  /* the file's header row; the rows are in crm_import_rows (ClientImportRows) */
  @column(json)
  declare headers: string[]

  @column()
  declare fileName: string | null

  /* client field → CSV column header */
  @column(json)
  declare mapping: Record<string, string>

  @column()
  declare totalRows: number

  @column()
  declare processedRows: number

  @column()
  declare createdCount: number

  @column()
  declare errorCount: number

  @column(json)
  declare errors: ImportRowError[]

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
