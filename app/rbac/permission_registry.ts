/*
 * Every permission string the platform knows, with the built-in roles that get
 * it by default. The kernel registers its own below; plugins register theirs
 * when they are loaded.
 */
export const SYSTEM_ROLES = [
  { key: 'owner', name: 'Owner' },
  { key: 'admin', name: 'Admin' },
  { key: 'manager', name: 'Manager' },
  { key: 'dispatcher', name: 'Dispatcher' },
  { key: 'worker', name: 'Worker' },
  { key: 'limited_worker', name: 'Limited worker' },
] as const

export type SystemRoleKey = (typeof SYSTEM_ROLES)[number]['key']

export type PermissionDefinition = {
  key: string
  description: string
  /* built-in roles that hold it; owner always holds every permission */
  roles: SystemRoleKey[]
  source: string
}

class PermissionRegistry {
  #permissions = new Map<string, PermissionDefinition>()

  register(source: string, definitions: Omit<PermissionDefinition, 'source'>[]) {
    for (const definition of definitions) {
      if (!/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/.test(definition.key)) {
        throw new Error(
          `Permission "${definition.key}" from ${source} is not a dotted lower-case key`
        )
      }
      const existing = this.#permissions.get(definition.key)
      if (existing && existing.source !== source) {
        throw new Error(
          `Permission "${definition.key}" from ${source} is already registered by ${existing.source}`
        )
      }
      this.#permissions.set(definition.key, { ...definition, source })
    }
  }

  has(key: string) {
    return this.#permissions.has(key)
  }

  all(): PermissionDefinition[] {
    return [...this.#permissions.values()].sort((a, b) => a.key.localeCompare(b.key))
  }

  defaultsFor(roleKey: string): string[] {
    return this.all()
      .filter(
        (permission) => roleKey === 'owner' || permission.roles.includes(roleKey as SystemRoleKey)
      )
      .map((permission) => permission.key)
  }
}

export const permissionRegistry = new PermissionRegistry()

permissionRegistry.register('kernel', [
  {
    key: 'tenant.read',
    description: 'See the tenant profile',
    roles: ['admin', 'manager', 'dispatcher', 'worker', 'limited_worker'],
  },
  {
    key: 'tenant.update',
    description: 'Change the tenant profile and security policy',
    roles: ['admin'],
  },
  {
    key: 'members.read',
    description: 'See team members',
    roles: ['admin', 'manager', 'dispatcher'],
  },
  { key: 'members.write', description: 'Add, change and remove team members', roles: ['admin'] },
  {
    key: 'roles.read',
    description: 'See roles and their permissions',
    roles: ['admin', 'manager'],
  },
  { key: 'roles.write', description: 'Create, change and delete custom roles', roles: ['admin'] },
  { key: 'audit.read', description: 'Read the audit log', roles: ['admin'] },
  {
    key: 'jobs.manage',
    description: 'See failed background jobs and retry them',
    roles: ['admin'],
  },
  {
    key: 'ledger.read',
    description: 'See the books: accounts, journal, reports',
    roles: ['admin', 'manager'],
  },
  { key: 'ledger.post', description: 'Post and reverse journal entries', roles: ['admin'] },
  {
    key: 'ledger.accounts.write',
    description: 'Create and change ledger accounts',
    roles: ['admin'],
  },
  {
    key: 'ledger.periods.lock',
    description: 'Lock and unlock accounting periods',
    roles: ['admin'],
  },
  { key: 'ledger.periods.override', description: 'Post into a locked period (audited)', roles: [] },
])

permissionRegistry.register('kernel', [
  { key: 'webhooks.read', description: 'See webhooks and their deliveries', roles: ['admin'] },
  {
    key: 'webhooks.write',
    description: 'Create, change, delete, ping webhooks and redeliver',
    roles: ['admin'],
  },
])
