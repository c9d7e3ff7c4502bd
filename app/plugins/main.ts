import type { PluginRegistry } from '#plugins/registry'

/*
 * The booted plugin registry of this process (set once by the plugins
 * provider). Reading it before boot is a programming error.
 */
let current: PluginRegistry | null = null

export const plugins = {
  get registry(): PluginRegistry {
    if (!current) throw new Error('The plugin registry is read before the plugins provider booted')
    return current
  },
  get booted() {
    return current !== null
  },
  use(registry: PluginRegistry) {
    current = registry
  },
}
