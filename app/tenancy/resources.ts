import type Tenant from '#models/tenant'
import type User from '#models/user'
import type Role from '#models/role'
import { resource } from '#http/envelope'

/* How kernel identity records look in API answers. */
export const tenantResource = (tenant: Pick<Tenant, 'id' | 'slug' | 'name' | 'requireTwoFactor'>) =>
  resource('tenant', tenant.id, {
    slug: tenant.slug,
    name: tenant.name,
    requireTwoFactor: tenant.requireTwoFactor,
  })

export const userResource = (user: User) =>
  resource('user', user.id, {
    email: user.email,
    fullName: user.fullName,
    twoFactorEnabled: user.hasTwoFactor,
    createdAt: user.createdAt?.toISO(),
  })

export const roleResource = (role: Role) =>
  resource('role', role.id, {
    key: role.key,
    name: role.name,
    isSystem: role.isSystem,
    permissions: role.effectivePermissions,
    createdAt: role.createdAt?.toISO(),
    updatedAt: role.updatedAt?.toISO(),
  })
