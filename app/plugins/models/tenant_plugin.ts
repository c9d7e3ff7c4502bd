import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#tenancy/tenant_scoped_model'

/* One tenant's switch and settings for one plugin. */
export default class TenantPlugin extends TenantScopedModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare pluginId: string

  /* SQLite hands booleans back as 0/1 */
  @column({ consume: (value: unknown) => Boolean(value) })
  declare enabled: boolean

  @column()
  declare version: string | null

  @column.dateTime()
  declare enabledAt: DateTime | null

  @column.dateTime()
  declare disabledAt: DateTime | null

  /* stored form: secret fields are ciphertext (see plugin_settings.ts) */
  @column({
    prepare: (value: Record<string, unknown>) => JSON.stringify(value ?? {}),
    consume: (value: string | null) => JSON.parse(value ?? '{}'),
  })
  declare settings: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
