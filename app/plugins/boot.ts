import { relative } from 'node:path'
import '#plugins/permissions'
import '#plugins/bind_kernel_capabilities'
import '#plugins/bind_ledger_capability'
import '#plugins/plugin_settings'
import { permissionRegistry } from '#rbac/permission_registry'
import { pluginMigrationPaths } from '#plugins/migration_paths'
import { buildRegistry, type PluginRegistry } from '#plugins/registry'
import { loadPluginSources } from '#plugins/loader'
import type { PluginsConfig } from '#plugins/define_config'
import { plugins } from '#plugins/main'
import { migrationsFolder } from '#plugins/plugin_migrations'
import { wireRuntime } from '#plugins/wire_runtime'

/*
 * Boot of the plugin system: load every source, validate and order them, then
 * register what each declares in dependency order (permissions, migration
 * folders). Routes are mounted by start/routes/plugins.ts from the registry,
 * and jobs and subscribers by wireRuntime.
 */
export async function bootPlugins(config: PluginsConfig, appRoot: string): Promise<PluginRegistry> {
  const registry = buildRegistry(await loadPluginSources(config, appRoot))
  pluginMigrationPaths.length = 0
  for (const plugin of registry.all()) {
    permissionRegistry.register(
      `plugin:${plugin.id}`,
      (plugin.manifest.permissions ?? []).map((permission) => ({
        ...permission,
        roles: permission.roles ?? [],
      }))
    )
    const folder = migrationsFolder(plugin)
    if (folder) pluginMigrationPaths.push(`./${relative(appRoot, folder)}`)
  }
  plugins.use(registry)
  wireRuntime(registry)
  return registry
}
