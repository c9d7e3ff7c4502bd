import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { RegisteredPlugin } from '#plugins/registry'

/* The plugin's migrations folder: the manifest's `migrations`, or database/migrations when present. */
export function migrationsFolder(plugin: Pick<RegisteredPlugin, 'root' | 'manifest'>) {
  if (plugin.manifest.migrations) return join(plugin.root, plugin.manifest.migrations)
  const fallback = join(plugin.root, 'database', 'migrations')
  return existsSync(fallback) ? fallback : null
}
