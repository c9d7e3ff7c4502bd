import type { Actor } from '#tenancy/actor'
import type { NavItem } from '#web/page_props'
import { pluginNavigationFor } from '#plugins/web/navigation'

/*
 * The staff navigation, built on the server so a page the role may not open is
 * never offered. Each entry names the permission it needs (none: everyone).
 */
const KERNEL_NAV: (NavItem & { permission?: string })[] = [
  { label: 'Dashboard', href: '/app' },
  { label: 'Members', href: '/app/members', permission: 'members.read' },
  { label: 'Roles', href: '/app/roles', permission: 'roles.read' },
  { label: 'Audit log', href: '/app/audit-log', permission: 'audit.read' },
  { label: 'Plugins', href: '/app/plugins', permission: 'plugins.read' },
  { label: 'Security', href: '/app/security' },
]

/* The kernel's entries, then those of the tenant's enabled plugins. */
export async function navigationFor(actor: Actor): Promise<NavItem[]> {
  const kernel = KERNEL_NAV.filter(
    (item) => !item.permission || actor.permissions.has(item.permission)
  ).map(({ label, href }) => ({ label, href }))
  return [...kernel, ...(await pluginNavigationFor(actor))]
}
