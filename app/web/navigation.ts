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
  { label: 'Accounts', href: '/app/ledger/accounts', permission: 'ledger.read', section: 'Ledger' },
  { label: 'Journal', href: '/app/ledger/entries', permission: 'ledger.read', section: 'Ledger' },
  {
    label: 'Trial balance',
    href: '/app/ledger/reports/trial-balance',
    permission: 'ledger.read',
    section: 'Ledger',
  },
  {
    label: 'Profit and loss',
    href: '/app/ledger/reports/profit-and-loss',
    permission: 'ledger.read',
    section: 'Ledger',
  },
  {
    label: 'Balance sheet',
    href: '/app/ledger/reports/balance-sheet',
    permission: 'ledger.read',
    section: 'Ledger',
  },
  { label: 'Plugins', href: '/app/plugins', permission: 'plugins.read' },
  { label: 'Security', href: '/app/security' },
]

/* The kernel's entries, then those of the tenant's enabled plugins. */
export async function navigationFor(actor: Actor): Promise<NavItem[]> {
  const kernel = KERNEL_NAV.filter(
    (item) => !item.permission || actor.permissions.has(item.permission)
  ).map(({ permission: _permission, ...item }) => item)
  return [...kernel, ...(await pluginNavigationFor(actor))]
}
