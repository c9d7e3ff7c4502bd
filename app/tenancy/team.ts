import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { tenantContext } from '#tenancy/tenant_context'

/* Is this user a member of the current tenant's team? Plugins reach memberships only through this. */
export async function isTeamMember(userId: number, trx?: TransactionClientContract) {
  const member = await (trx ?? db)
    .from('memberships')
    .where({ tenant_id: tenantContext.tenantId, user_id: userId })
    .first()
  return Boolean(member)
}

/* The current tenant's team as plugins may show it (a staff calendar): id and name, by name. */
export async function teamMembers(
  trx?: TransactionClientContract
): Promise<{ id: number; fullName: string }[]> {
  const rows = await (trx ?? db)
    .from('memberships')
    .join('users', 'users.id', 'memberships.user_id')
    .where('memberships.tenant_id', tenantContext.tenantId!)
    .select('users.id', 'users.full_name', 'users.email')
    .orderBy('users.full_name')
    .orderBy('users.id')
  return rows.map((row) => ({ id: Number(row.id), fullName: row.full_name || row.email }))
}
