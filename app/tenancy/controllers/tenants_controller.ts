import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import { createTenant } from '#tenancy/actions/create_tenant'
import { tenantsOf } from '#tenancy/resolve_actor'
import { createTenantValidator, updateTenantValidator } from '#tenancy/validators/tenant_validator'
import { validateAttributes, resource, single } from '#http/envelope'
import { tenantResource } from '#tenancy/resources'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'

export default class TenantsController {
  /* GET /api/v1/tenants: every tenant the user belongs to, with the role there */
  async index({ actor }: HttpContext) {
    const rows = await tenantsOf(actor!.user.id)
    return {
      data: rows.map((row) =>
        resource('tenant', row.tenant_id, {
          slug: row.tenant_slug,
          name: row.tenant_name,
          role: row.role_key,
          current: row.tenant_id === actor!.tenant.id,
        })
      ),
      meta: { total: rows.length },
    }
  }

  /* POST /api/v1/tenants: another tenant, owned by the current user */
  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createTenantValidator)
    const { tenant } = await createTenant({
      name: input.name,
      slug: input.slug,
      owner: ctx.actor!.user,
    })
    ctx.response.status(201)
    return single(tenantResource(tenant))
  }

  /* GET /api/v1/tenant: the current tenant */
  async show({ actor }: HttpContext) {
    return single(tenantResource(await Tenant.findOrFail(actor!.tenant.id)))
  }

  /* PATCH /api/v1/tenant: name and the two-factor policy for owners and admins */
  async update(ctx: HttpContext) {
    const actor = ctx.actor!
    const input = await validateAttributes(ctx, updateTenantValidator)
    const tenant = await Tenant.findOrFail(actor.tenant.id)
    if (input.requireTwoFactor && !tenant.requireTwoFactor && !actor.user.hasTwoFactor) {
      throw new ApiError(
        409,
        'TWO_FACTOR_REQUIRED',
        'Turn on two-factor for yourself before requiring it of owners and admins',
        {
          pointer: '/data/attributes/requireTwoFactor',
        }
      )
    }
    const before = { name: tenant.name, requireTwoFactor: tenant.requireTwoFactor }
    tenant.merge(input)
    await tenant.save()
    await audit({
      action: 'tenant.updated',
      subjectType: 'tenant',
      subjectId: tenant.id,
      meta: { before, after: input },
    })
    return single(tenantResource(tenant))
  }
}
