import semver from 'semver'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import PluginInstallation from '#plugins/models/plugin_installation'
import { migratePluginUp } from '#plugins/plugin_migrations'
import type { RegisteredPlugin } from '#plugins/registry'

export class PluginInstallError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PluginInstallError'
  }
}

export type InstallResult = {
  plugin: string
  from: string | null
  to: string
  /* migrations run now: this plugin's pending ones only */
  ran: string[]
  firstInstall: boolean
}

/*
 * Installs a plugin platform-wide, or upgrades it to the loaded version: runs
 * ITS pending migrations only (other plugins' and the kernel's stay as they
 * are), records the version, and calls its `install` hook the first time. A
 * downgrade is refused: migrations only go forward.
 */
export async function installOrUpgrade(
  plugin: RegisteredPlugin,
  appRoot: string
): Promise<InstallResult> {
  const existing = await PluginInstallation.findBy('pluginId', plugin.id)
  const installed = existing?.state === 'installed' ? existing : null
  if (installed && semver.gt(installed.version, plugin.version)) {
    throw new PluginInstallError(
      `Plugin "${plugin.id}" ${installed.version} is installed; ${plugin.version} is older and cannot replace it`
    )
  }
  const from = installed?.version ?? null
  const ran = await migratePluginUp(db.connection(), plugin, appRoot)
  const row = existing ?? new PluginInstallation()
  row.merge({ pluginId: plugin.id, version: plugin.version, state: 'installed' })
  if (!installed) row.installedAt = DateTime.now()
  await row.save()
  if (!installed) await plugin.manifest.hooks?.install?.(plugin.context)
  return {
    plugin: plugin.id,
    from,
    to: plugin.version,
    ran,
    firstInstall: !installed,
  }
}
