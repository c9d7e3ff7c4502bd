import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { audit } from '#audit/audit_log'
import { jobs } from '#jobs/jobs'
import PluginInstallation from '#plugins/models/plugin_installation'
import { enabledPlugins } from '#plugins/enabled_plugins'
import { migratePluginDown, migrationFilesOf } from '#plugins/plugin_migrations'
import type { PluginRegistry, RegisteredPlugin } from '#plugins/registry'
import type { UninstallMode } from '#plugins/types'

export const UNINSTALL_MODES: UninstallMode[] = ['keep', 'export', 'purge']

export class PluginUninstallError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PluginUninstallError'
  }
}

export type UninstallResult = {
  plugin: string
  mode: UninstallMode
  tables: string[]
  /* folder of the archive (export) */
  archive: string | null
  /* migrations rolled back (purge) */
  rolledBack: string[]
}

const CREATE_TABLE = /create table (?:if not exists )?[`"[]?([A-Za-z0-9_]+)[`"\]]?/gi

/*
 * The tables a plugin owns: those its migrations create, read from a dry run
 * of their `up` (no SQL is executed).
 */
export async function pluginTables(plugin: RegisteredPlugin, appRoot: string): Promise<string[]> {
  const tables = new Set<string>()
  for (const file of migrationFilesOf(plugin, appRoot)) {
    const { default: Schema } = await import(pathToFileURL(file.path).href)
    const queries: unknown = await new Schema(db.connection(), file.name, true).execUp()
    for (const sql of Array.isArray(queries) ? queries : []) {
      const text = typeof sql === 'string' ? sql : String((sql as any)?.sql ?? '')
      for (const match of text.matchAll(CREATE_TABLE)) tables.add(match[1])
    }
  }
  return [...tables]
}

function csvCell(value: unknown) {
  if (value === null || value === undefined) return ''
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value)
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/* One JSON file with every table, and one CSV per table. */
async function exportTables(plugin: RegisteredPlugin, tables: string[], outDir: string) {
  const stamp = DateTime.utc().toFormat("yyyyLLdd'T'HHmmss")
  const folder = join(outDir, `${plugin.id}-${plugin.version}-${stamp}`)
  mkdirSync(folder, { recursive: true })
  const archive: Record<string, unknown[]> = {}
  for (const table of tables) {
    const rows = (await db.from(table).select('*').orderByRaw('1')) as Record<string, unknown>[]
    archive[table] = rows
    const columns = rows.length ? Object.keys(rows[0]) : []
    const csv = [
      columns.join(','),
      ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(',')),
    ]
    writeFileSync(join(folder, `${table}.csv`), csv.join('\n') + '\n')
  }
  writeFileSync(
    join(folder, `${plugin.id}.json`),
    JSON.stringify(
      {
        plugin: plugin.id,
        version: plugin.version,
        exportedAt: DateTime.utc().toISO(),
        tables: archive,
      },
      (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
      2
    )
  )
  return folder
}

/* Custom roles lose the plugin's permissions (system roles follow the registry). */
async function stripPermissions(plugin: RegisteredPlugin, trx: any) {
  const keys = new Set((plugin.manifest.permissions ?? []).map((permission) => permission.key))
  if (!keys.size) return 0
  let changed = 0
  const roles = await trx.from('roles').where('is_system', false).select('id', 'permissions')
  for (const role of roles) {
    const permissions: string[] = JSON.parse(role.permissions ?? '[]')
    const kept = permissions.filter((key) => !keys.has(key))
    if (kept.length !== permissions.length) {
      await trx
        .from('roles')
        .where('id', role.id)
        .update({ permissions: JSON.stringify(kept) })
      changed++
    }
  }
  return changed
}

/*
 * Uninstalls a plugin platform-wide. keep: tenants' switches go off, data and
 * settings stay. export: the same, after writing its tables to an archive.
 * purge: its migrations' downs drop its tables, and its tenant rows and
 * settings, its permissions in custom roles and its schedules are removed.
 * Refused while another installed plugin requires it. Kernel tables are
 * never touched.
 */
export async function uninstallPlugin(
  registry: PluginRegistry,
  id: string,
  mode: UninstallMode,
  options: { appRoot: string; outDir?: string }
): Promise<UninstallResult> {
  if (!UNINSTALL_MODES.includes(mode)) {
    throw new PluginUninstallError(`Unknown mode "${mode}": use keep, export or purge`)
  }
  const plugin = registry.get(id)
  if (!plugin) throw new PluginUninstallError(`Plugin "${id}" is not installed`)
  const installation = await PluginInstallation.findBy('pluginId', id)
  if (installation?.state === 'uninstalled') {
    throw new PluginUninstallError(`Plugin "${id}" is already uninstalled`)
  }
  const uninstalled = await PluginInstallation.query().where('state', 'uninstalled')
  const gone = new Set(uninstalled.map((row) => row.pluginId))
  const dependants = registry.dependantsOf(id).filter((item) => !gone.has(item.id))
  if (dependants.length) {
    throw new PluginUninstallError(
      `Plugin "${id}" is required by ${dependants.map((item) => `"${item.id}"`).join(', ')}: uninstall ${dependants.length > 1 ? 'them' : 'it'} first`
    )
  }
  if (mode === 'export' && !options.outDir) {
    throw new PluginUninstallError('Export needs an output folder')
  }

  const tables = await pluginTables(plugin, options.appRoot)
  await plugin.manifest.hooks?.uninstall?.(plugin.context, mode)
  const archive = mode === 'export' ? await exportTables(plugin, tables, options.outDir!) : null
  const rolledBack =
    mode === 'purge' ? await migratePluginDown(db.connection(), plugin, options.appRoot) : []

  const scheduleKeys = (plugin.manifest.schedules ?? []).map((schedule) => schedule.key)
  await db.transaction(async (trx) => {
    if (mode === 'purge') {
      await trx.from('tenant_plugins').where('plugin_id', id).delete()
      await stripPermissions(plugin, trx)
      if (scheduleKeys.length && (await trx.schema.hasTable('job_schedules'))) {
        await trx.from('job_schedules').whereIn('key', scheduleKeys).delete()
      }
    } else {
      // platform-wide: every tenant's switch of this plugin goes off
      const now = DateTime.now().toFormat(trx.dialect.dateTimeFormat)
      await trx
        .from('tenant_plugins')
        .where({ plugin_id: id, enabled: true })
        .update({ enabled: false, disabled_at: now, updated_at: now })
    }
    const row = installation ?? new PluginInstallation()
    row.useTransaction(trx)
    row.merge({ pluginId: id, version: plugin.version, state: 'uninstalled' })
    if (!installation) row.installedAt = DateTime.now()
    await row.save()
    await audit(
      {
        action: 'plugin.uninstalled',
        tenantId: null,
        actorUserId: null,
        subjectType: 'plugin',
        subjectId: id,
        meta: { mode, version: plugin.version, tables, archive },
      },
      trx
    )
  })
  // this process stops running its schedules now; others read the state at their next boot
  for (const key of scheduleKeys) jobs.unschedule(key)
  enabledPlugins.invalidate()
  return { plugin: id, mode, tables, archive, rolledBack }
}
