import db from '@adonisjs/lucid/services/db'
import Tenant from '#models/tenant'
import Role from '#models/role'
import Membership from '#models/membership'
import type User from '#models/user'
import { SYSTEM_ROLES } from '#rbac/permission_registry'
import { tenantContext } from '#tenancy/tenant_context'
import { audit } from '#audit/audit_log'
import { ApiError } from '#http/api_error'
import { seedDefaultChart } from '#ledger/default_chart'

/*
 * A new tenant with its built-in roles and its first owner, in one transaction.
 * `owner` is either an existing user or the attributes of a new one.
 */
export async function createTenant(input: {
  name: string
  slug: string
  owner: User | ((trx: any) => Promise<User>)
}) {
  const taken = await Tenant.findBy('slug', input.slug)
  if (taken)
    throw new ApiError(409, 'SLUG_TAKEN', `The tenant slug "${input.slug}" is taken`, {
      pointer: '/data/attributes/tenantSlug',
    })

  return db.transaction(async (trx) => {
    const tenant = await Tenant.create(
      { name: input.name, slug: input.slug, requireTwoFactor: false },
      { client: trx }
    )
    const owner = typeof input.owner === 'function' ? await input.owner(trx) : input.owner

    return tenantContext.run(tenant.id, async () => {
      const roles = await Role.createMany(
        SYSTEM_ROLES.map((role) => ({
          key: role.key,
          name: role.name,
          isSystem: true,
          permissions: [],
        })),
        { client: trx }
      )
      const ownerRole = roles.find((role) => role.key === 'owner')!
      const membership = await Membership.create(
        { userId: owner.id, roleId: ownerRole.id },
        { client: trx }
      )
      await seedDefaultChart(tenant.id, trx)
      await audit(
        {
          action: 'tenant.created',
          tenantId: tenant.id,
          actorUserId: owner.id,
          subjectType: 'tenant',
          subjectId: tenant.id,
        },
        trx
      )
      return { tenant, owner, membership, ownerRole }
    })
  })
}
