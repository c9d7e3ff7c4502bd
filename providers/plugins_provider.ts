import type { ApplicationService } from '@adonisjs/core/types'
import { fileURLToPath } from 'node:url'
import type { PluginsConfig } from '#plugins/define_config'

/*
 * Loads the plugins once per process, after the kernel's providers booted and
 * before the route files are imported (they mount the plugins' routes).
 */
export default class PluginsProvider {
  constructor(protected app: ApplicationService) {}

  async start() {
    const { bootPlugins } = await import('#plugins/boot')
    const config = this.app.config.get<PluginsConfig>('plugins')
    await bootPlugins(config, fileURLToPath(this.app.appRoot))
  }
}
