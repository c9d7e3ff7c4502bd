import { BaseModel, beforeCreate, column } from '@adonisjs/lucid/orm'
import type {
  LucidModel,
  ModelAdapterOptions,
  ModelQueryBuilderContract,
} from '@adonisjs/lucid/types/model'
import { tenantContext } from '#tenancy/tenant_context'
import { MissingTenantContextError } from '#tenancy/missing_tenant_context_error'

/*
 * Base for every tenant-owned row. Every query built from the model is filtered
 * by the current tenant, so finds, lists, counts, updates and deletes cannot
 * reach another tenant's rows; creates are stamped with the current tenant.
 * With no tenant in context the query refuses to run rather than read everything.
 */
export class TenantScopedModel extends BaseModel {
  @column()
  declare tenantId: number

  static query<Model extends LucidModel, Result = InstanceType<Model>>(
    this: Model,
    options?: ModelAdapterOptions
  ): ModelQueryBuilderContract<Model, Result> {
    const query = super.query(options) as ModelQueryBuilderContract<Model, Result>
    if (tenantContext.isUnscoped) return query
    const tenantId = tenantContext.tenantId
    if (tenantId === null) throw new MissingTenantContextError(this.name)
    return query.where(`${this.table}.tenant_id`, tenantId)
  }

  @beforeCreate()
  static stampTenant(row: TenantScopedModel) {
    const tenantId = tenantContext.tenantId
    if (row.tenantId === undefined || row.tenantId === null) {
      if (tenantId === null) throw new MissingTenantContextError(row.constructor.name)
      row.tenantId = tenantId
    } else if (tenantId !== null && row.tenantId !== tenantId) {
      throw new MissingTenantContextError(row.constructor.name)
    }
  }
}
