import { resource } from '#http/envelope'
import { formatMinor } from '#ledger/money'
import type LedgerAccount from '#ledger/models/ledger_account'
import type { PostedEntry } from '#ledger/ledger_service'

/* How ledger records look in API answers: amounts are strings of minor units, never floats. */
export const accountResource = (account: LedgerAccount, extra: Record<string, unknown> = {}) =>
  resource('ledger-account', account.id, {
    code: account.code,
    name: account.name,
    type: account.type,
    normalSide: account.normalSide,
    parentId: account.parentId,
    currency: account.currency,
    isActive: account.isActive,
    role: account.role,
    createdAt: account.createdAt?.toISO(),
    updatedAt: account.updatedAt?.toISO(),
    ...extra,
  })

export const entryResource = (entry: PostedEntry) =>
  resource('ledger-entry', entry.id, {
    date: entry.date,
    memo: entry.memo,
    sourcePlugin: entry.sourcePlugin,
    sourceReference: entry.sourceReference,
    idempotencyKey: entry.idempotencyKey,
    reversesEntryId: entry.reversesEntryId,
    reversedByEntryId: entry.reversedByEntryId,
    lockOverridden: entry.lockOverridden,
    createdAt: entry.createdAt,
    lines: entry.lines.map((line) => ({
      id: line.id,
      accountId: line.accountId,
      accountCode: line.accountCode,
      side: line.side,
      amount: line.amount.toString(),
      currency: line.currency,
      formatted: formatMinor(line.amount, line.currency),
    })),
  })
