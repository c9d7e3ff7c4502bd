/*
 * config/plugins.ts: where the plugins of this installation come from.
 */
export type PluginsConfig = {
  /* folder of first-party plugins (one sub-folder each, with a plugin.ts), relative to the app root */
  directory: string
  /* npm packages whose entry exports a plugin (third-party plugins) */
  packages: string[]
  /* folders (relative to the app root) whose node_modules are searched for those packages before the app's own */
  packagePaths: string[]
  /* more plugin folders or entry files, relative to the app root (e.g. test fixtures) */
  extra: string[]
}

export function defineConfig(config: Partial<PluginsConfig>): PluginsConfig {
  return {
    directory: config.directory ?? 'plugins',
    packages: [...new Set(config.packages ?? [])],
    packagePaths: [...new Set(config.packagePaths ?? [])],
    extra: [...new Set(config.extra ?? [])],
  }
}
