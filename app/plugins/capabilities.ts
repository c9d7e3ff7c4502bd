import 'reflect-metadata'
import { container as rootContainer, type DependencyContainer } from 'tsyringe'
import type {
  CapabilityDeclaration,
  CapabilityName,
  CapabilityServices,
  PluginContext,
  PluginManifest,
} from '#plugins/types'

export const KNOWN_CAPABILITIES = [
  'settings.read',
  'http.outbound',
  'ledger.post',
  'events.publish',
  'jobs.dispatch',
] as const satisfies readonly CapabilityName[]

export class UndeclaredCapabilityError extends Error {
  constructor(
    readonly plugin: string,
    readonly capability: string
  ) {
    super(
      `Plugin "${plugin}" asked for the kernel service "${capability}" without declaring it: add "${capability}" to its manifest's capabilities`
    )
    this.name = 'UndeclaredCapabilityError'
  }
}

export class CapabilityUnavailableError extends Error {
  constructor(
    readonly plugin: string,
    readonly capability: string
  ) {
    super(`Plugin "${plugin}" declares "${capability}", but this kernel provides no such service`)
    this.name = 'CapabilityUnavailableError'
  }
}

/*
 * How the kernel builds the service behind a capability, for one plugin (the
 * plugin and its declaration are given, e.g. for http.outbound's hosts).
 * Kernel modules bind theirs at boot with `bindCapability`.
 */
export type CapabilityFactory<K extends CapabilityName> = (
  plugin: PluginManifest,
  declaration: CapabilityDeclaration
) => CapabilityServices[K]

const factories = new Map<CapabilityName, CapabilityFactory<any>>()

/* Binds the service of a capability; returns a function restoring the previous binding. */
export function bindCapability<K extends CapabilityName>(name: K, factory: CapabilityFactory<K>) {
  const previous = factories.get(name)
  factories.set(name, factory)
  return () => {
    if (previous) factories.set(name, previous)
    else factories.delete(name)
  }
}

export function isCapabilityBound(name: CapabilityName) {
  return factories.has(name)
}

const token = (name: string) => `capability:${name}`

/*
 * The plugin's context: a tsyringe child container of an empty root, holding
 * the declared capabilities only. Nothing else of the kernel is reachable
 * through it, so an undeclared capability cannot be resolved by accident.
 */
export function createPluginContext(plugin: PluginManifest): PluginContext {
  const child: DependencyContainer = rootContainer.createChildContainer()
  const declared = new Set<string>()
  for (const declaration of plugin.capabilities ?? []) {
    const name = typeof declaration === 'string' ? declaration : declaration.name
    declared.add(name)
    let service: unknown
    let built = false
    child.register(token(name), {
      useFactory: () => {
        if (!built) {
          const factory = factories.get(name)
          if (!factory) throw new CapabilityUnavailableError(plugin.id, name)
          service = factory(plugin, declaration)
          built = true
        }
        return service
      },
    })
  }
  return {
    id: plugin.id,
    version: plugin.version,
    container: child,
    use<K extends CapabilityName>(capability: K): CapabilityServices[K] {
      if (!declared.has(capability)) throw new UndeclaredCapabilityError(plugin.id, capability)
      return child.resolve<CapabilityServices[K]>(token(capability))
    },
  }
}
