import semver from 'semver'
import { KERNEL_VERSION } from '#plugins/kernel_version'
import { validateManifest } from '#plugins/validate_manifest'
import { createPluginContext } from '#plugins/capabilities'
import { permissionRegistry } from '#rbac/permission_registry'
import type { PluginContext, PluginManifest } from '#plugins/types'

/* A plugin as loaded: its manifest, where it came from, and its root folder. */
export type PluginSource = {
  manifest: unknown
  /* human-readable origin for messages: a file or package name */
  source: string
  /* absolute folder the manifest's relative paths (migrations) start from */
  root: string
  /* kind of origin */
  origin: 'first-party' | 'package' | 'extra'
}

export type RegisteredPlugin = {
  manifest: PluginManifest
  id: string
  version: string
  source: string
  root: string
  origin: PluginSource['origin']
  context: PluginContext
  /* ids this plugin requires directly */
  requires: string[]
}

export class PluginBootError extends Error {
  constructor(readonly problems: string[]) {
    super(`Plugins cannot boot:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'PluginBootError'
  }
}

/*
 * The plugins of this process, in dependency order (a plugin after the ones
 * it requires). Built once at boot; read-only afterwards.
 */
export class PluginRegistry {
  readonly #byId: Map<string, RegisteredPlugin>

  constructor(readonly ordered: RegisteredPlugin[]) {
    this.#byId = new Map(ordered.map((plugin) => [plugin.id, plugin]))
  }

  get(id: string) {
    return this.#byId.get(id)
  }

  has(id: string) {
    return this.#byId.has(id)
  }

  all() {
    return this.ordered
  }

  /* every plugin `id` needs, directly or not, dependencies first */
  dependenciesOf(id: string): RegisteredPlugin[] {
    const needed = new Set<string>()
    const visit = (current: string) => {
      for (const dependency of this.#byId.get(current)?.requires ?? []) {
        if (!needed.has(dependency)) {
          needed.add(dependency)
          visit(dependency)
        }
      }
    }
    visit(id)
    return this.ordered.filter((plugin) => needed.has(plugin.id))
  }

  /* every plugin that needs `id`, directly or not */
  dependantsOf(id: string): RegisteredPlugin[] {
    return this.ordered.filter((plugin) =>
      this.dependenciesOf(plugin.id).some((dependency) => dependency.id === id)
    )
  }
}

/*
 * Validates every manifest, then what spans plugins: id clashes, the kernel
 * range, missing or incompatible dependencies, cycles (named as a chain
 * `a → b → a`). Any problem fails the whole boot, listing all of them.
 */
export function buildRegistry(
  sources: PluginSource[],
  kernelVersion: string = KERNEL_VERSION,
  knownPermissions: (key: string) => boolean = kernelPermission
): PluginRegistry {
  const problems: string[] = []
  const byId = new Map<string, { manifest: PluginManifest; source: PluginSource }>()
  for (const source of sources) {
    let manifest: PluginManifest
    try {
      manifest = validateManifest(source.manifest, source.source)
    } catch (error) {
      problems.push((error as Error).message)
      continue
    }
    const clash = byId.get(manifest.id)
    if (clash) {
      problems.push(
        `Plugin id "${manifest.id}" is declared twice: by ${clash.source.source} and by ${source.source}`
      )
      continue
    }
    byId.set(manifest.id, { manifest, source })
  }

  for (const { manifest } of byId.values()) {
    const kernelRange = manifest.requires?.kernel
    if (kernelRange && !semver.satisfies(kernelVersion, kernelRange, { includePrerelease: true })) {
      problems.push(
        `Plugin "${manifest.id}" requires kernel ${kernelRange}, but the kernel is ${kernelVersion}`
      )
    }
    for (const [dependency, range] of Object.entries(manifest.requires?.plugins ?? {})) {
      const found = byId.get(dependency)
      if (!found) {
        problems.push(
          `Plugin "${manifest.id}" requires plugin "${dependency}" (${range}), which is not installed`
        )
      } else if (!semver.satisfies(found.manifest.version, range, { includePrerelease: true })) {
        problems.push(
          `Plugin "${manifest.id}" requires "${dependency}" ${range}, but "${dependency}" is ${found.manifest.version}`
        )
      }
    }
  }

  const order = topologicalOrder(
    new Map(
      [...byId.values()].map(({ manifest }) => [
        manifest.id,
        Object.keys(manifest.requires?.plugins ?? {}).filter((dependency) => byId.has(dependency)),
      ])
    )
  )
  problems.push(...order.cycles.map((cycle) => `Dependency cycle: ${cycle.join(' → ')}`))
  if (!order.cycles.length) problems.push(...pagePermissionProblems(byId, knownPermissions))
  if (problems.length) throw new PluginBootError(problems)

  return new PluginRegistry(
    order.ids.map((id) => {
      const { manifest, source } = byId.get(id)!
      return {
        manifest,
        id,
        version: manifest.version,
        source: source.source,
        root: source.root,
        origin: source.origin,
        context: createPluginContext(manifest),
        requires: Object.keys(manifest.requires?.plugins ?? {}),
      }
    })
  )
}

function kernelPermission(key: string) {
  return permissionRegistry
    .all()
    .some((permission) => permission.key === key && permission.source === 'kernel')
}

/*
 * A page or nav entry must name a permission someone grants: the kernel's, the
 * plugin's own, or one of a plugin it requires (directly or not).
 */
function pagePermissionProblems(
  byId: Map<string, { manifest: PluginManifest; source: PluginSource }>,
  knownPermissions: (key: string) => boolean
) {
  const problems: string[] = []
  const reachable = (id: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(id)) return seen
    seen.add(id)
    for (const dependency of Object.keys(byId.get(id)?.manifest.requires?.plugins ?? {}))
      reachable(dependency, seen)
    return seen
  }
  for (const { manifest, source } of byId.values()) {
    const granted = new Set(
      [...reachable(manifest.id)].flatMap((id) =>
        (byId.get(id)?.manifest.permissions ?? []).map((permission) => permission.key)
      )
    )
    for (const field of ['pages', 'nav'] as const) {
      manifest[field]?.forEach((entry, index) => {
        if (
          entry.permission &&
          !granted.has(entry.permission) &&
          !knownPermissions(entry.permission)
        )
          problems.push(
            `Plugin "${manifest.id}" (${source.source}): /${field}/${index}/permission "${entry.permission}" is not a permission of the kernel, the plugin or the plugins it requires`
          )
      })
    }
  }
  return problems
}

/*
 * Depth-first order, dependencies first, ties by id so the order is the same
 * on every boot. Each cycle is reported once, as the chain that closes it.
 */
export function topologicalOrder(graph: Map<string, string[]>) {
  const ids: string[] = []
  const cycles: string[][] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const stack: string[] = []
  const visit = (id: string) => {
    const current = state.get(id)
    if (current === 'done') return
    if (current === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(id)), id])
      return
    }
    state.set(id, 'visiting')
    stack.push(id)
    for (const dependency of [...(graph.get(id) ?? [])].sort()) visit(dependency)
    stack.pop()
    state.set(id, 'done')
    ids.push(id)
  }
  for (const id of [...graph.keys()].sort()) visit(id)
  return { ids, cycles }
}
