import type { HttpContext } from '@adonisjs/core/http'
import { single } from '#http/envelope'
import { tenantResource, userResource } from '#tenancy/resources'

export default class MeController {
  /* GET /api/v1/me: who I am, in which tenant, with which role and permissions. */
  async show({ actor }: HttpContext) {
    const { user, tenant, role, permissions } = actor!
    return single(userResource(user), {
      tenant: tenantResource(tenant),
      role: { id: String(role.id), key: role.key, name: role.name },
      permissions: [...permissions].sort(),
    })
  }
}
