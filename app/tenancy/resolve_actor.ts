import db from '@adonisjs/lucid/services/db'
import { Secret } from '@adonisjs/core/helpers'
import User from '#models/user'
import type { Actor } from '#tenancy/actor'
import Role from '#models/role'
import { preparedQuery } from '#database/prepared_query'

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

const MEMBERSHIP_COLUMNS = [
  'm.id as membership_id',
  't.id as tenant_id',
  't.slug as tenant_slug',
  't.name as tenant_name',
  't.require_two_factor',
  'r.id as role_id',
  'r.key as role_key',
  'r.name as role_name',
  'r.is_system as role_is_system',
  'r.permissions as role_permissions',
]

/* One query: the user's membership in a tenant, with the tenant and the role. */
function membershipQuery(userId: number) {
  return db
    .from('memberships as m')
    .join('tenants as t', 't.id', 'm.tenant_id')
    .join('roles as r', 'r.id', 'm.role_id')
    .where('m.user_id', userId)
    .select(MEMBERSHIP_COLUMNS)
}

const USER_COLUMNS = [
  'id',
  'email',
  'full_name',
  'password',
  'invitation_pending',
  'failed_login_count',
  'locked_until',
  'totp_secret',
  'totp_enabled_at',
  'totp_recovery_codes',
  'created_at',
  'updated_at',
]

/*
 * The hot path of every API request: token, user, membership, tenant and role
 * in one query. Null when the token is unknown, wrong, expired, or its user is
 * no longer a member of the token's tenant.
 */
const actorByTokenQuery = preparedQuery<MembershipRow & Record<string, any>>(
  'actor_by_token',
  2,
  (query, tokenId, tokenType) =>
    query
      .from('auth_access_tokens as k')
      .join('users as u', 'u.id', 'k.tokenable_id')
      .join('memberships as m', (on) => {
        on.on('m.user_id', '=', 'k.tokenable_id').andOn('m.tenant_id', '=', 'k.tenant_id')
      })
      .join('tenants as t', 't.id', 'm.tenant_id')
      .join('roles as r', 'r.id', 'm.role_id')
      .where('k.id', tokenId)
      .where('k.type', tokenType)
      .select('k.*')
      .select(MEMBERSHIP_COLUMNS)
      .select(USER_COLUMNS.map((column) => `u.${column} as u_${column}`))
)

export async function actorForBearerToken(value: string): Promise<Actor | null> {
  const result = await User.accessTokens.verifyJoined<MembershipRow & Record<string, any>>(
    new Secret(value),
    (identifier, type) => actorByTokenQuery.first(identifier, type)
  )
  if (!result) return null
  const { row, token } = result
  const user = User.$createFromAdapterResult(
    Object.fromEntries(USER_COLUMNS.map((column) => [column, row[`u_${column}`]]))
  )!
  return { ...toActor(user, row), tokenId: Number(token.identifier) }
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
