import { resource } from '#http/envelope'
import { plugins } from '#plugins/main'
import type { RegisteredPlugin } from '#plugins/registry'
import type TenantPlugin from '#plugins/models/tenant_plugin'
import type PluginInstallation from '#plugins/models/plugin_installation'

/* A plugin in the catalog, with the current tenant's state. */
export function pluginResource(
  plugin: RegisteredPlugin,
  row: TenantPlugin | undefined,
  installation: PluginInstallation | undefined
) {
  const manifest = plugin.manifest
  return resource('plugin', plugin.id, {
    name: manifest.name,
    version: plugin.version,
    description: manifest.description ?? null,
    requires: {
      kernel: manifest.requires?.kernel ?? null,
      plugins: manifest.requires?.plugins ?? {},
    },
    dependants: plugins.registry.dependantsOf(plugin.id).map((item) => item.id),
    permissions: (manifest.permissions ?? []).map((permission) => permission.key),
    capabilities: (manifest.capabilities ?? []).map((capability) =>
      typeof capability === 'string' ? capability : capability.name
    ),
    hasSettings: !!manifest.settings,
    installation: installation
      ? { state: installation.state, version: installation.version }
      : null,
    enabled: row?.enabled ?? false,
    enabledAt: row?.enabledAt?.toISO() ?? null,
    disabledAt: row?.disabledAt?.toISO() ?? null,
  })
}
