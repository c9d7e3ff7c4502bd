import db from '@adonisjs/lucid/services/db'

type Entry = { ids: ReadonlySet<string>; expires: number }

/*
 * Which plugins each tenant has enabled, cached per process: the gate runs on
 * every plugin request, so a hit costs a Map lookup. A switch in this process
 * invalidates the tenant at once; other processes pick it up within TTL_MS.
 * Concurrent misses for one tenant share a single query.
 */
export const TTL_MS = 1000
const MAX_TENANTS = 50_000

class EnabledPlugins {
  #cache = new Map<number, Entry>()
  #loading = new Map<number, Promise<ReadonlySet<string>>>()
  /* bumped on every invalidation so a load that raced a switch is not cached */
  #generation = 0

  /* true/false from the cache, a promise on a miss */
  isEnabled(tenantId: number, pluginId: string): boolean | Promise<boolean> {
    const hit = this.#cache.get(tenantId)
    if (hit && hit.expires > Date.now()) return hit.ids.has(pluginId)
    return this.load(tenantId).then((ids) => ids.has(pluginId))
  }

  async forTenant(tenantId: number): Promise<ReadonlySet<string>> {
    const hit = this.#cache.get(tenantId)
    if (hit && hit.expires > Date.now()) return hit.ids
    return this.load(tenantId)
  }

  load(tenantId: number): Promise<ReadonlySet<string>> {
    const pending = this.#loading.get(tenantId)
    if (pending) return pending
    const generation = this.#generation
    const loading = db
      .from('tenant_plugins')
      .where('tenant_id', tenantId)
      .where('enabled', true)
      .select('plugin_id')
      .then((rows) => {
        const ids = new Set<string>(rows.map((row) => row.plugin_id))
        if (generation === this.#generation) {
          if (this.#cache.size >= MAX_TENANTS) this.#cache.clear()
          this.#cache.set(tenantId, { ids, expires: Date.now() + TTL_MS })
        }
        return ids
      })
      .finally(() => this.#loading.delete(tenantId))
    this.#loading.set(tenantId, loading)
    return loading
  }

  invalidate(tenantId?: number) {
    this.#generation++
    if (tenantId === undefined) this.#cache.clear()
    else this.#cache.delete(tenantId)
    this.#loading.clear()
  }
}

export const enabledPlugins = new EnabledPlugins()
