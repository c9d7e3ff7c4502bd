import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { RegisteredPlugin } from '#plugins/registry'

/* Lucid's bookkeeping table: plugin migrations share it, so `migration:run|rollback|status` see them. */
const SCHEMA_TABLE = 'adonis_schema'

/* The plugin's migrations folder: the manifest's `migrations`, or database/migrations when present. */
export function migrationsFolder(plugin: Pick<RegisteredPlugin, 'root' | 'manifest'>) {
  if (plugin.manifest.migrations) return join(plugin.root, plugin.manifest.migrations)
  const fallback = join(plugin.root, 'database', 'migrations')
  return existsSync(fallback) ? fallback : null
}

export type PluginMigrationFile = { name: string; path: string }

const SCRIPT = /\.(ts|js|mjs|cjs)$/

/*
 * The plugin's migration files in run order, named as Lucid names them (the
 * folder relative to the app root + the file name without extension), so a
 * file run here and one run by `migration:run` are the same migration.
 */
export function migrationFilesOf(
  plugin: Pick<RegisteredPlugin, 'root' | 'manifest'>,
  appRoot: string
): PluginMigrationFile[] {
  const folder = migrationsFolder(plugin)
  if (!folder || !existsSync(folder)) return []
  const relativeFolder = `./${relative(appRoot, folder)}`
  return readdirSync(folder)
    .filter((file) => SCRIPT.test(file) && !file.endsWith('.d.ts'))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }))
    .map((file) => ({
      name: join(relativeFolder, file.replace(SCRIPT, '')).split('\\').join('/'),
      path: join(folder, file),
    }))
}

async function migrated(client: QueryClientContract, names: string[]) {
  if (!names.length) return new Map<string, number>()
  const rows = await client.from(SCHEMA_TABLE).whereIn('name', names).select('name', 'batch')
  return new Map(rows.map((row) => [row.name as string, Number(row.batch)]))
}

async function run(
  client: QueryClientContract,
  file: PluginMigrationFile,
  direction: 'up' | 'down',
  batch: number
) {
  const { default: Schema } = await import(pathToFileURL(file.path).href)
  if (typeof Schema !== 'function' || !('disableTransactions' in Schema)) {
    throw new Error(`Invalid schema class exported by "${file.name}"`)
  }
  const trx = Schema.disableTransactions ? null : await client.transaction()
  const target = trx ?? client
  try {
    const schema = new Schema(target, file.name, false)
    if (direction === 'up') {
      await schema.execUp()
      await target.insertQuery().table(SCHEMA_TABLE).insert({ name: file.name, batch })
    } else {
      await schema.execDown()
      await target.query().from(SCHEMA_TABLE).where('name', file.name).del()
    }
    await trx?.commit()
  } catch (error) {
    await trx?.rollback()
    throw error
  }
}

/*
 * Runs the pending migrations of ONE plugin (install, upgrade), in one new
 * batch; other plugins' and the kernel's pending migrations are not touched.
 * Returns the names run.
 */
export async function migratePluginUp(
  client: QueryClientContract,
  plugin: Pick<RegisteredPlugin, 'root' | 'manifest'>,
  appRoot: string
): Promise<string[]> {
  const files = migrationFilesOf(plugin, appRoot)
  const done = await migrated(
    client,
    files.map((file) => file.name)
  )
  const pending = files.filter((file) => !done.has(file.name))
  if (!pending.length) return []
  const [{ batch }] = await client.from(SCHEMA_TABLE).max('batch as batch')
  for (const file of pending) await run(client, file, 'up', Number(batch ?? 0) + 1)
  return pending.map((file) => file.name)
}

/* Runs the downs of every migrated file of ONE plugin, newest first (uninstall with purge). */
export async function migratePluginDown(
  client: QueryClientContract,
  plugin: Pick<RegisteredPlugin, 'root' | 'manifest'>,
  appRoot: string
): Promise<string[]> {
  const files = migrationFilesOf(plugin, appRoot)
  const done = await migrated(
    client,
    files.map((file) => file.name)
  )
  const toUndo = files.filter((file) => done.has(file.name)).reverse()
  for (const file of toUndo) await run(client, file, 'down', 0)
  return toUndo.map((file) => file.name)
}

/* Names of the plugin's migrations not run yet. */
export async function pendingMigrationsOf(
  client: QueryClientContract,
  plugin: Pick<RegisteredPlugin, 'root' | 'manifest'>,
  appRoot: string
) {
  const files = migrationFilesOf(plugin, appRoot)
  const done = await migrated(
    client,
    files.map((file) => file.name)
  )
  return files.filter((file) => !done.has(file.name)).map((file) => file.name)
}
