import type { HttpContext } from '@adonisjs/core/http'
import { tenantsOf } from '#tenancy/resolve_actor'
import { navigationFor } from '#web/navigation'
import type { ShellProps } from '#web/page_props'

/* What the shell layout needs on every signed-in page: who, where, and where to go. */
export async function shellProps(ctx: HttpContext): Promise<ShellProps | null> {
  const actor = ctx.actor
  if (!actor) return null
  const memberships = await tenantsOf(actor.user.id)
  return {
    user: { id: actor.user.id, fullName: actor.user.fullName, email: actor.user.email },
    tenant: { id: actor.tenant.id, slug: actor.tenant.slug, name: actor.tenant.name },
    role: { key: actor.role.key, name: actor.role.name },
    tenants: memberships.map((row) => ({
      id: row.tenant_id,
      name: row.tenant_name,
      slug: row.tenant_slug,
      role: row.role_name,
    })),
    nav: await navigationFor(actor),
  }
}
