/*
 * The props the server hands to the Vue pages. Types only and no imports, so
 * the client (resources/, checked by vue-tsc) imports this file as well.
 */

/* `section` groups entries under a heading in the side nav (e.g. "Ledger"). */
export type NavItem = { label: string; href: string; section?: string }

export type TenantChoice = { id: number; name: string; slug: string; role: string }

/* Shared with every page while someone is signed in. */
export type ShellProps = {
  user: { id: number; fullName: string; email: string }
  tenant: { id: number; slug: string; name: string }
  role: { key: string; name: string }
  tenants: TenantChoice[]
  nav: NavItem[]
}

export type SharedProps = {
  shell: ShellProps | null
  flash: { notice: string | null }
  errors: Record<string, string | undefined>
}

export type LoginProps = { twoFactor: boolean }

export type DashboardProps = {
  counts: { members: number; roles: number; auditEntries: number | null }
  twoFactorEnabled: boolean
  mustEnrollTwoFactor: boolean
}

export type MemberRow = {
  id: number
  fullName: string
  email: string
  role: string
  twoFactorEnabled: boolean
  joinedAt: string | null
}

export type RoleRow = {
  id: number
  key: string
  name: string
  isSystem: boolean
  permissions: string[]
}

export type AuditRow = {
  id: number
  action: string
  actor: string | null
  subject: string | null
  ip: string | null
  createdAt: string
}

export type SecurityProps = {
  twoFactor: { enabled: boolean; enabledAt: string | null; recoveryCodesLeft: number }
  /* while enrolling: the QR code and the secret for manual entry */
  enrollment: { qrCodeDataUrl: string; secret: string } | null
  /* right after confirming, once */
  recoveryCodes: string[] | null
  requiredByTenant: boolean
}

/* The plugin manager (/app/plugins): the catalog with the tenant's state. */
export type PluginSettingsForm = {
  /* the plugin's JSON Schema (top-level properties become fields) */
  schema: Record<string, unknown>
  /* stored values; secret fields read as the mask when set */
  values: Record<string, unknown>
  secrets: string[]
  mask: string
}

export type PluginCatalogRow = {
  id: string
  name: string
  version: string
  description: string | null
  kernelRange: string | null
  requires: { id: string; range: string; enabled: boolean }[]
  dependants: string[]
  enabled: boolean
  uninstalled: boolean
  permissions: string[]
  capabilities: string[]
  settings: PluginSettingsForm | null
}

export type PluginManagerProps = {
  plugins: PluginCatalogRow[]
  canManage: boolean
}

/*
 * Ledger pages. Amounts are strings of integer minor units ("12345" is 123.45
 * EUR), formatted in the browser with the currency's exponent
 * (resources/app/format.ts), never floats.
 */
export type LedgerAccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense'
export type LedgerSide = 'debit' | 'credit'
export type LedgerBalance = { currency: string; amount: string }

export type LedgerAccountRow = {
  id: number
  code: string
  name: string
  type: LedgerAccountType
  normalSide: LedgerSide
  parentId: number | null
  /* 0 for a top-level account; rows come in tree order */
  depth: number
  /* null: the account takes any currency */
  currency: string | null
  isActive: boolean
  role: string | null
  /* sum of the lines per currency, debit positive */
  balances: LedgerBalance[]
}

export type LedgerAccountsProps = {
  accounts: LedgerAccountRow[]
  types: LedgerAccountType[]
  canWrite: boolean
}

export type LedgerAccountChoice = { id: number; code: string; name: string }

export type LedgerLine = {
  id: number | null
  accountId: number
  accountCode: string
  accountName: string
  side: LedgerSide
  amount: string
  currency: string
}

export type LedgerEntrySummary = {
  id: number
  date: string
  memo: string
  sourcePlugin: string
  sourceReference: string | null
  reversesEntryId: number | null
  reversedByEntryId: number | null
  /* the debit total per currency (equal to the credit total) */
  totals: LedgerBalance[]
  accountCodes: string[]
}

export type LedgerJournalProps = {
  entries: LedgerEntrySummary[]
  filters: { account: string; from: string; to: string; source: string }
  pagination: { page: number; limit: number; total: number; totalPages: number }
  accounts: LedgerAccountChoice[]
  sources: string[]
}

export type LedgerEntryProps = {
  entry: LedgerEntrySummary & {
    idempotencyKey: string
    createdAt: string
    lockOverridden: boolean
    lines: LedgerLine[]
  }
  canReverse: boolean
  /* may post the reversal into a locked month (ledger.periods.override; audited) */
  canOverrideLock: boolean
  today: string
}

export type LedgerStatementProps = {
  account: LedgerAccountRow
  range: { from: string; to: string }
  opening: LedgerBalance[]
  lines: {
    id: number
    entryId: number
    date: string
    memo: string
    sourcePlugin: string
    currency: string
    side: LedgerSide
    amount: string
    balance: string
  }[]
  pagination: { page: number; limit: number; total: number; totalPages: number }
  csvUrl: string
}

type ReportRow = {
  accountId: number
  code: string
  name: string
  type: LedgerAccountType
  currency: string
}

export type LedgerTrialBalanceProps = {
  from: string | null
  to: string
  rows: (ReportRow & { debit: string; credit: string })[]
  totals: Record<string, { debit: string; credit: string }>
  csvUrl: string
}

export type LedgerProfitAndLossProps = {
  from: string
  to: string
  rows: (ReportRow & { amount: string })[]
  totals: Record<string, { revenue: string; expense: string; netIncome: string }>
  months: Record<string, { month: string; revenue: string; expense: string; netIncome: string }[]>
  csvUrl: string
}

export type LedgerBalanceSheetProps = {
  to: string
  rows: (ReportRow & { amount: string })[]
  currentEarnings: Record<string, string>
  totals: Record<string, { assets: string; liabilities: string; equity: string }>
  balanced: Record<string, boolean>
  csvUrl: string
}
