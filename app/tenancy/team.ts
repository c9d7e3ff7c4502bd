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
