import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import type { Plugin } from 'vite'

/*
 * Plugin pages for the Vue client. First-party pages (plugins/<id>/pages) are
 * found by the `import.meta.glob` in resources/app/app.ts; pages of plugins
 * living elsewhere (npm packages, extra folders) come from the virtual module
 * below, which lists their files with one dynamic import each.
 *
 * Where those folders come from, first match wins:
 * - the booted registry of this process (dev server and tests run Vite in-process):
 *   the kernel publishes a getter on globalThis at boot (app/plugins/web/pages.ts);
 * - PLINTH_PLUGIN_PAGE_FOLDERS, JSON `[{id, folder}]`: set by `plinth:setup`
 *   for the production build it spawns.
 * This file imports node built-ins only: vite.config.ts bundles it.
 */
export const PLUGIN_PAGES_MODULE = 'virtual:plinth/plugin-pages'
const RESOLVED_ID = `\0${PLUGIN_PAGES_MODULE}`
const FOLDERS_KEY = Symbol.for('plinth.pluginPageFolders')
export const PAGE_FOLDERS_ENV = 'PLINTH_PLUGIN_PAGE_FOLDERS'

export type PageFolder = { id: string; folder: string }

type FolderSource = () => PageFolder[]

/* Called by the kernel at boot with the registry's page folders. */
export function publishPageFolders(source: FolderSource) {
  ;(globalThis as Record<symbol, unknown>)[FOLDERS_KEY] = source
}

function pageFolders(): PageFolder[] {
  const source = (globalThis as Record<symbol, unknown>)[FOLDERS_KEY] as FolderSource | undefined
  if (source) return source()
  const fromEnv = process.env[PAGE_FOLDERS_ENV]
  return fromEnv ? (JSON.parse(fromEnv) as PageFolder[]) : []
}

function vueFiles(folder: string): string[] {
  if (!existsSync(folder)) return []
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.vue'))
    .map((file) => join(folder, file))
    .filter((file) => statSync(file).isFile())
    .sort()
}

/* Inertia name of a plugin page: "plugins/<id>/<component>" (component: path in pages/, no .vue). */
export function pluginPageName(id: string, component: string) {
  return `plugins/${id}/${component}`
}

/* The module's source: `export default { "plugins/<id>/<page>": () => import("/abs/page.vue") }`. */
export function pagesModuleSource(root: string, folders: PageFolder[]) {
  const firstParty = resolve(root, 'plugins') + sep
  const entries: string[] = []
  for (const { id, folder } of folders) {
    const absolute = resolve(root, folder)
    // the glob in app.ts already has these
    if (absolute.startsWith(firstParty)) continue
    for (const file of vueFiles(absolute)) {
      const component = relative(absolute, file)
        .split(sep)
        .join('/')
        .replace(/\.vue$/, '')
      entries.push(
        `  ${JSON.stringify(pluginPageName(id, component))}: () => import(${JSON.stringify(file)}),`
      )
    }
  }
  return `export default {\n${entries.join('\n')}\n}\n`
}

export function plinthPluginPages(): Plugin {
  let root = process.cwd()
  return {
    name: 'plinth-plugin-pages',
    configResolved(config) {
      root = config.root
    },
    resolveId(id) {
      return id === PLUGIN_PAGES_MODULE ? RESOLVED_ID : null
    },
    load(id) {
      return id === RESOLVED_ID ? pagesModuleSource(root, pageFolders()) : null
    },
  }
}
