import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isPluginDefinition } from '#plugins/define_plugin'
import type { PluginsConfig } from '#plugins/define_config'
import type { PluginSource } from '#plugins/registry'

const ENTRY_NAMES = ['plugin.js', 'plugin.ts']

function entryIn(folder: string): string | null {
  for (const name of ENTRY_NAMES) {
    const file = join(folder, name)
    if (existsSync(file)) return file
  }
  return null
}

async function importEntry(file: string | URL, source: string) {
  const url = typeof file === 'string' ? pathToFileURL(file).href : file.href
  let module: Record<string, unknown>
  try {
    module = await import(url)
  } catch (error) {
    throw new Error(`Plugin ${source} failed to load: ${(error as Error).message}`, {
      cause: error,
    })
  }
  const manifest = module.default ?? module.plugin
  if (!isPluginDefinition(manifest)) {
    throw new Error(`${source} does not export (default) a plugin made with definePlugin()`)
  }
  return manifest
}

/* The folder holding the package.json of the package a file belongs to. */
function packageRoot(file: string, name: string) {
  let folder = dirname(file)
  while (folder !== dirname(folder)) {
    const manifest = join(folder, 'package.json')
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name)
      return folder
    folder = dirname(folder)
  }
  return dirname(file)
}

/*
 * Reads every plugin source once, at boot: first-party folders, npm packages
 * named in config, and extra folders. Nothing here runs at request time.
 */
export async function loadPluginSources(
  config: PluginsConfig,
  appRoot: string
): Promise<PluginSource[]> {
  const sources: PluginSource[] = []
  const directory = join(appRoot, config.directory)
  if (existsSync(directory)) {
    for (const name of readdirSync(directory).sort()) {
      const folder = join(directory, name)
      if (!statSync(folder).isDirectory()) continue
      const entry = entryIn(folder)
      if (!entry) continue
      const source = relative(appRoot, entry)
      sources.push({
        manifest: await importEntry(entry, source),
        source,
        root: folder,
        origin: 'first-party',
      })
    }
  }
  const requireFromApp = createRequire(join(appRoot, 'package.json'))
  const searchPaths = [...config.packagePaths.map((path) => join(appRoot, path)), appRoot]
  for (const name of config.packages) {
    let resolved: string
    try {
      resolved = requireFromApp.resolve(name, { paths: searchPaths })
    } catch {
      throw new Error(`Plugin package "${name}" (config/plugins.ts) is not installed`)
    }
    sources.push({
      manifest: await importEntry(resolved, `package ${name}`),
      source: `package ${name}`,
      root: packageRoot(resolved, name),
      origin: 'package',
    })
  }
  for (const path of config.extra) {
    const absolute = join(appRoot, path)
    const isFolder = existsSync(absolute) && statSync(absolute).isDirectory()
    const entry = isFolder ? entryIn(absolute) : existsSync(absolute) ? absolute : null
    if (!entry) throw new Error(`Plugin path "${path}" has no plugin.ts or plugin.js`)
    const source = relative(appRoot, entry)
    sources.push({
      manifest: await importEntry(entry, source),
      source,
      root: dirname(entry),
      origin: 'extra',
    })
  }
  return sources
}
