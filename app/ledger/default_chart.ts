import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { normalSideOf, type AccountType } from '#ledger/models/ledger_account'

type ChartRow = { code: string; name: string; type: AccountType; parent?: string; role?: string }

/*
 * The chart every new tenant starts with: a small-business chart in the
 * QuickBooks spirit. Accounts take any currency (reports split per currency);
 * the retained earnings account is where the balance sheet puts past profit.
 */
export const DEFAULT_CHART: ChartRow[] = [
  { code: '1000', name: 'Cash and bank', type: 'asset' },
  { code: '1010', name: 'Cash on hand', type: 'asset', parent: '1000' },
  { code: '1020', name: 'Bank account', type: 'asset', parent: '1000' },
  { code: '1100', name: 'Accounts receivable', type: 'asset', role: 'accounts_receivable' },
  { code: '1200', name: 'Inventory', type: 'asset' },
  { code: '1500', name: 'Equipment', type: 'asset' },
  { code: '2000', name: 'Accounts payable', type: 'liability', role: 'accounts_payable' },
  { code: '2100', name: 'Sales tax payable', type: 'liability' },
  { code: '2200', name: 'Accrued liabilities', type: 'liability' },
  { code: '2500', name: 'Loans', type: 'liability' },
  { code: '3000', name: "Owner's equity", type: 'equity' },
  { code: '3900', name: 'Retained earnings', type: 'equity', role: 'retained_earnings' },
  { code: '4000', name: 'Sales', type: 'revenue' },
  { code: '4100', name: 'Service revenue', type: 'revenue' },
  { code: '4900', name: 'Other income', type: 'revenue' },
  { code: '5000', name: 'Cost of goods sold', type: 'expense' },
  { code: '6000', name: 'Operating expenses', type: 'expense' },
  { code: '6100', name: 'Rent', type: 'expense', parent: '6000' },
  { code: '6200', name: 'Salaries and wages', type: 'expense', parent: '6000' },
  { code: '6300', name: 'Utilities', type: 'expense', parent: '6000' },
  { code: '6400', name: 'Bank fees', type: 'expense', parent: '6000' },
  { code: '6900', name: 'Other expenses', type: 'expense', parent: '6000' },
]

/* Seeds the default chart for a new tenant, in the signup transaction. */
export async function seedDefaultChart(tenantId: number, trx: TransactionClientContract) {
  const now = DateTime.now().toFormat(trx.dialect.dateTimeFormat)
  const row = (account: ChartRow, parentId: number | null) => ({
    tenant_id: tenantId,
    code: account.code,
    name: account.name,
    type: account.type,
    normal_side: normalSideOf(account.type),
    parent_id: parentId,
    currency: null,
    is_active: true,
    role: account.role ?? null,
    created_at: now,
    updated_at: now,
  })
  await trx
    .table('ledger_accounts')
    .multiInsert(DEFAULT_CHART.filter((a) => !a.parent).map((a) => row(a, null)))
  const parents = new Map<string, number>()
  for (const parent of await trx
    .from('ledger_accounts')
    .where('tenant_id', tenantId)
    .select('id', 'code')) {
    parents.set(parent.code, Number(parent.id))
  }
  await trx
    .table('ledger_accounts')
    .multiInsert(DEFAULT_CHART.filter((a) => a.parent).map((a) => row(a, parents.get(a.parent!)!)))
}
