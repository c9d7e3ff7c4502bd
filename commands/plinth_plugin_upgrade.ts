import { fileURLToPath } from 'node:url'
import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
 * Installs or upgrades plugins: runs each one's pending migrations only and
 * records the installed version. Without an id: every plugin, in dependency order.
 */
export default class PlinthPluginUpgrade extends BaseCommand {
  static commandName = 'plinth:plugin:upgrade'
  static description =
    'Install or upgrade a plugin (its own pending migrations only) and record its version'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Plugin id (all plugins when omitted)', required: false })
  declare id?: string

  async run() {
    const { plugins } = await import('#plugins/main')
    const { installOrUpgrade, PluginInstallError } = await import('#plugins/installations')
    const targets = this.id ? [plugins.registry.get(this.id)] : plugins.registry.all()
    if (targets.some((plugin) => !plugin)) {
      this.logger.error(`Plugin "${this.id}" is not loaded (plugins/, config/plugins.ts)`)
      this.exitCode = 1
      return
    }
    const appRoot = fileURLToPath(this.app.appRoot)
    for (const plugin of targets) {
      try {
        const result = await installOrUpgrade(plugin!, appRoot)
        const change = result.from ? `${result.from} → ${result.to}` : `installed ${result.to}`
        this.logger.success(`${result.plugin}: ${change}, ${result.ran.length} migration(s)`)
      } catch (error) {
        if (!(error instanceof PluginInstallError)) throw error
        this.logger.error(error.message)
        this.exitCode = 1
      }
    }
  }
}
