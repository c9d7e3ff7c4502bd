import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import type { Actor } from '#tenancy/actor'
import Role from '#models/role'

type MembershipRow = {
  membership_id: number
  tenant_id: number
  tenant_slug: string
  tenant_name: string
  require_two_factor: boolean | number
  role_id: number
  role_key: string
  role_name: string
  role_is_system: boolean | number
  role_permissions: string
}

/* One query: the user's membership in a tenant, with the tenant and the role. */
function membershipQuery(userId: number) {
  return db
    .from('memberships as m')
    .join('tenants as t', 't.id', 'm.tenant_id')
    .join('roles as r', 'r.id', 'm.role_id')
    .where('m.user_id', userId)
    .select(
      'm.id as membership_id',
      't.id as tenant_id',
      't.slug as tenant_slug',
      't.name as tenant_name',
      't.require_two_factor',
      'r.id as role_id',
      'r.key as role_key',
      'r.name as role_name',
      'r.is_system as role_is_system',
      'r.permissions as role_permissions'
    )
}

function toActor(user: User, row: MembershipRow): Actor {
  const role = new Role()
  role.key = row.role_key
  role.isSystem = Boolean(row.role_is_system)
  role.permissions = JSON.parse(row.role_permissions ?? '[]')
  return {
    user,
    tenant: {
      id: row.tenant_id,
      slug: row.tenant_slug,
      name: row.tenant_name,
      requireTwoFactor: Boolean(row.require_two_factor),
    },
    membershipId: row.membership_id,
    role: { id: row.role_id, key: row.role_key, name: row.role_name },
    permissions: new Set(role.effectivePermissions),
  }
}

export async function actorForTenant(user: User, tenantId: number): Promise<Actor | null> {
  const row = (await membershipQuery(user.id)
    .where('m.tenant_id', tenantId)
    .first()) as MembershipRow | null
  return row ? toActor(user, row) : null
}

/* The first tenant the user joined: the web UI's default after login. */
export async function actorForFirstTenant(user: User): Promise<Actor | null> {
  const row = (await membershipQuery(user.id)
    .orderBy('m.id', 'asc')
    .first()) as MembershipRow | null
  return row ? toActor(user, row) : null
}

export async function tenantsOf(userId: number) {
  return membershipQuery(userId).orderBy('t.name', 'asc') as Promise<MembershipRow[]>
}

/* The tenant an API token was issued for, with the user's current role there. */
export async function actorForToken(user: User, tokenId: number): Promise<Actor | null> {
  const row = (await membershipQuery(user.id)
    .join('auth_access_tokens as k', (join) => {
      join.on('k.tenant_id', '=', 'm.tenant_id').andOn('k.tokenable_id', '=', 'm.user_id')
    })
    .where('k.id', tokenId)
    .first()) as MembershipRow | null
  if (!row) return null
  return { ...toActor(user, row), tokenId }
}
