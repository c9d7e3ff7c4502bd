import { Exception } from '@adonisjs/core/exceptions'

/* A programming error: tenant-owned data touched outside a tenant's context. */
export class MissingTenantContextError extends Exception {
  static status = 500
  static code = 'E_MISSING_TENANT_CONTEXT'

  constructor(model: string) {
    super(`${model} was queried outside a tenant context (or for another tenant)`)
  }
}
