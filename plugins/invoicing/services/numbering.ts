import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/*
 * Per-tenant document numbers without gaps or duplicates. The number is taken
 * in the issuing transaction: the tenant's counter row is locked (FOR UPDATE
 * on PostgreSQL; SQLite serializes writers) and incremented, so concurrent
 * issues queue on that row, and a transaction that rolls back gives its
 * number back with it.
 */
export async function nextNumber(
  tenantId: number,
  series: 'invoice' | 'credit_note',
  trx: TransactionClientContract
): Promise<number> {
  await trx
    .knexQuery()
    .table('invoicing_counters')
    .insert({ tenant_id: tenantId, series, last_number: 0 })
    .onConflict(['tenant_id', 'series'])
    .ignore()
  const row = await trx
    .from('invoicing_counters')
    .where({ tenant_id: tenantId, series })
    .forUpdate()
    .select('last_number')
    .firstOrFail()
  const next = Number(row.last_number) + 1
  await trx
    .from('invoicing_counters')
    .where({ tenant_id: tenantId, series })
    .update({ last_number: next })
  return next
}

export function displayNumber(prefix: string, number: number) {
  return `${prefix}${String(number).padStart(5, '0')}`
}
