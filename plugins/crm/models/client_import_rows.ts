import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#plinth'

const json = {
  prepare: (value: unknown) => JSON.stringify(value),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
}

/* A chunk of a CSV import's rows, in file order; the job reads them one chunk at a time. */
export default class ClientImportRows extends TenantScopedModel {
  static table = 'crm_import_rows'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare importId: number

  /* the file's row number of rows[0] (the header is row 1) */
  @column()
  declare firstRow: number

  @column(json)
  declare rows: string[][]
}
