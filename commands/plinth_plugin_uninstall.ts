import { fileURLToPath } from 'node:url'
import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type { UninstallMode } from '#plugins/types'

/*
 * Uninstalls a plugin for the whole platform: keep its data, export it to an
 * archive (JSON + one CSV per table), or purge it (drop its tables through its
 * migrations' downs, remove its settings, permissions and schedules).
 */
export default class PlinthPluginUninstall extends BaseCommand {
  static commandName = 'plinth:plugin:uninstall'
  static description = 'Uninstall a plugin platform-wide: --mode=keep|export|purge'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Plugin id' })
  declare id: string

  @flags.string({ description: 'keep (default), export or purge' })
  declare mode: string

  @flags.string({ description: 'Folder for the export archive (default tmp/plugin-exports)' })
  declare out: string

  async run() {
    const { plugins } = await import('#plugins/main')
    const { uninstallPlugin, PluginUninstallError } = await import('#plugins/uninstall')
    try {
      const result = await uninstallPlugin(
        plugins.registry,
        this.id,
        (this.mode ?? 'keep') as UninstallMode,
        {
          appRoot: fileURLToPath(this.app.appRoot),
          outDir: this.out ?? this.app.tmpPath('plugin-exports'),
        }
      )
      this.logger.success(`Plugin "${result.plugin}" uninstalled (${result.mode})`)
      if (result.archive) this.logger.info(`archive: ${result.archive}`)
      for (const name of result.rolledBack) this.logger.info(`rolled back ${name}`)
      if (result.mode !== 'purge') {
        this.logger.info(`tables kept: ${result.tables.join(', ') || '(none)'}`)
      }
      this.logger.info('Remove it from plugins/ or config/plugins.ts before the next deploy')
    } catch (error) {
      if (!(error instanceof PluginUninstallError)) throw error
      this.logger.error(error.message)
      this.exitCode = 1
    }
  }
}
