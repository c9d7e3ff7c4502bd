import { AsyncLocalStorage } from 'node:async_hooks'

/*
 * The tenant a unit of work runs for. HTTP requests enter it through the tenant
 * middleware, jobs through `tenantContext.run`. Tenant-scoped models read it, so
 * no controller has to remember a `where tenant_id = ?`.
 */
type Scope = { tenantId: number } | { unscoped: true }

class TenantContext {
  #storage = new AsyncLocalStorage<Scope>()

  run<T>(tenantId: number, callback: () => T): T {
    return this.#storage.run({ tenantId }, callback)
  }

  /* Kernel code that legitimately reads across tenants (login, tenant switcher). */
  unscoped<T>(callback: () => T): T {
    return this.#storage.run({ unscoped: true }, callback)
  }

  get tenantId(): number | null {
    const scope = this.#storage.getStore()
    return scope && 'tenantId' in scope ? scope.tenantId : null
  }

  get isUnscoped(): boolean {
    const scope = this.#storage.getStore()
    return !!scope && 'unscoped' in scope
  }
}

export const tenantContext = new TenantContext()
