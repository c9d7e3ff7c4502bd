import type { Actor } from '#tenancy/actor'
import type { NavItem } from '#web/page_props'

/*
 * The staff navigation, built on the server so a page the role may not open is
 * never offered. Each entry names the permission it needs (none: everyone).
 */
const KERNEL_NAV: (NavItem & { permission?: string })[] = [
  { label: 'Dashboard', href: '/app' },
  { label: 'Members', href: '/app/members', permission: 'members.read' },
  { label: 'Roles', href: '/app/roles', permission: 'roles.read' },
  { label: 'Audit log', href: '/app/audit-log', permission: 'audit.read' },
  { label: 'Security', href: '/app/security' },
]

export function navigationFor(actor: Actor): NavItem[] {
  return KERNEL_NAV.filter(
    (item) => !item.permission || actor.permissions.has(item.permission)
  ).map(({ label, href }) => ({ label, href }))
}
