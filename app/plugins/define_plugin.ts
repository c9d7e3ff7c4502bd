import { PLUGIN_BRAND, type PluginDefinition, type PluginManifest } from '#plugins/types'

/*
 * Declares a plugin. Typed here; validated by the kernel at boot (with the
 * plugin's source in every message), so a mistake fails boot, not a request.
 */
export function definePlugin<const Manifest extends PluginManifest>(
  manifest: Manifest
): PluginDefinition & Manifest {
  return Object.freeze({ ...manifest, [PLUGIN_BRAND]: true as const })
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return !!value && typeof value === 'object' && (value as any)[PLUGIN_BRAND] === true
}
