import { enabledPlugins } from '#plugins/enabled_plugins'

/* Has this tenant switched the plugin on? For plugins that call into others' contributions. */
export async function isPluginEnabled(tenantId: number, pluginId: string): Promise<boolean> {
  return enabledPlugins.isEnabled(tenantId, pluginId)
}
