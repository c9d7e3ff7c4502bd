import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/* Platform-wide: which version of a plugin is installed, or that it was uninstalled. */
export default class PluginInstallation extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare pluginId: string

  @column()
  declare version: string

  @column()
  declare state: 'installed' | 'uninstalled'

  @column.dateTime({ autoCreate: true })
  declare installedAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
