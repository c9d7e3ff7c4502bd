import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'
import { plugins } from '#plugins/main'
import TenantPlugin from '#plugins/models/tenant_plugin'
import PluginInstallation from '#plugins/models/plugin_installation'
import { enabledPlugins } from '#plugins/enabled_plugins'
import { publishKernelEvent } from '#plugins/kernel_events'
import type { RegisteredPlugin } from '#plugins/registry'

export function findPlugin(id: string): RegisteredPlugin {
  const plugin = plugins.registry.get(id)
  if (!plugin) throw new ApiError(404, 'NOT_FOUND', `Plugin "${id}" not found`)
  return plugin
}

async function assertInstalled(ids: string[]) {
  const uninstalled = await PluginInstallation.query()
    .whereIn('plugin_id', ids)
    .where('state', 'uninstalled')
    .select('plugin_id')
  if (uninstalled.length) {
    const names = uninstalled.map((row) => row.pluginId)
    throw ApiError.conflict(
      'PLUGIN_UNINSTALLED',
      `Plugin ${names.map((name) => `"${name}"`).join(', ')} was uninstalled from this platform`,
      { plugins: names }
    )
  }
}

async function rowsFor(tenantId: number, ids: string[], trx: TransactionClientContract) {
  const rows = await TenantPlugin.query({ client: trx })
    .where('tenant_id', tenantId)
    .whereIn('plugin_id', ids)
    .forUpdate()
  return new Map(rows.map((row) => [row.pluginId, row]))
}

async function runHook(
  plugin: RegisteredPlugin,
  hook: 'enable' | 'disable',
  tenantId: number,
  trx: TransactionClientContract
) {
  const run = plugin.manifest.hooks?.[hook]
  if (!run) return
  try {
    await run({ id: tenantId }, plugin.context, trx)
  } catch (error) {
    throw ApiError.conflict(
      'PLUGIN_HOOK_FAILED',
      `The ${hook} hook of plugin "${plugin.id}" failed, nothing was changed: ${(error as Error).message}`
    )
  }
}

async function record(
  plugin: RegisteredPlugin,
  tenantId: number,
  action: 'enabled' | 'disabled',
  trx: TransactionClientContract,
  meta: Record<string, unknown> = {}
) {
  await audit(
    {
      action: `plugin.${action}`,
      tenantId,
      subjectType: 'plugin',
      subjectId: plugin.id,
      meta: { version: plugin.version, ...meta },
    },
    trx
  )
  await publishKernelEvent(
    {
      name: `kernel.plugin.${action}`,
      tenantId,
      aggregate: { type: 'plugin', id: plugin.id },
      payload: { plugin: plugin.id, version: plugin.version },
    },
    trx
  )
  await runHook(plugin, action === 'enabled' ? 'enable' : 'disable', tenantId, trx)
}

/*
 * Switches a plugin on for a tenant. Its dependencies must be enabled, or are
 * enabled first (in dependency order) when the caller asks. One transaction:
 * rows, audit entries, events and the plugins' enable hooks commit together.
 * Returns the ids switched on (empty when it already was).
 */
export async function enablePlugin(
  tenantId: number,
  id: string,
  options: { withDependencies?: boolean } = {}
): Promise<string[]> {
  const plugin = findPlugin(id)
  const dependencies = plugins.registry.dependenciesOf(id)
  const chain = [...dependencies, plugin]
  await assertInstalled(chain.map((item) => item.id))
  const switched = await db.transaction(async (trx) => {
    const rows = await rowsFor(
      tenantId,
      chain.map((item) => item.id),
      trx
    )
    const off = chain.filter((item) => !rows.get(item.id)?.enabled)
    const missing = off.filter((item) => item.id !== id)
    if (missing.length && !options.withDependencies) {
      const names = missing.map((item) => `"${item.id}"`).join(', ')
      throw ApiError.conflict(
        'PLUGIN_DEPENDENCY_NOT_ENABLED',
        `Plugin "${id}" needs ${names} enabled first; enable ${missing.length > 1 ? 'them' : 'it'}, or send {"withDependencies": true}`,
        { missing: missing.map((item) => item.id) }
      )
    }
    for (const item of off) {
      const row = rows.get(item.id) ?? new TenantPlugin()
      row.useTransaction(trx)
      row.merge({
        tenantId,
        pluginId: item.id,
        enabled: true,
        version: item.version,
        enabledAt: DateTime.now(),
      })
      if (!row.$isPersisted) row.settings = {}
      await row.save()
      await record(item, tenantId, 'enabled', trx, item.id === id ? {} : { requiredBy: id })
    }
    return off.map((item) => item.id)
  })
  if (switched.length) enabledPlugins.invalidate(tenantId)
  return switched
}

/*
 * Switches a plugin off for a tenant; its data and settings stay. Refused
 * while another enabled plugin needs it (409 naming the dependants).
 * Returns whether it was on.
 */
export async function disablePlugin(tenantId: number, id: string): Promise<boolean> {
  const plugin = findPlugin(id)
  const dependants = plugins.registry.dependantsOf(id)
  const switched = await db.transaction(async (trx) => {
    const rows = await rowsFor(tenantId, [id, ...dependants.map((item) => item.id)], trx)
    const row = rows.get(id)
    if (!row?.enabled) return false
    const needing = dependants.filter((item) => rows.get(item.id)?.enabled)
    if (needing.length) {
      const names = needing.map((item) => `"${item.id}"`).join(', ')
      throw ApiError.conflict(
        'PLUGIN_REQUIRED_BY',
        `Plugin "${id}" is needed by ${names}, enabled for this tenant; disable ${needing.length > 1 ? 'them' : 'it'} first`,
        { dependants: needing.map((item) => item.id) }
      )
    }
    row.useTransaction(trx)
    row.merge({ enabled: false, disabledAt: DateTime.now() })
    await row.save()
    await record(plugin, tenantId, 'disabled', trx)
    return true
  })
  if (switched) enabledPlugins.invalidate(tenantId)
  return switched
}
