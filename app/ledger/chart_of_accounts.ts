import LedgerAccount, { normalSideOf, type AccountType } from '#ledger/models/ledger_account'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'

/*
 * Changes to a tenant's chart of accounts, shared by the API and the staff
 * pages: the same checks (unique code, parent of the same type, no cycles,
 * retained earnings stays active) and the same audit entries.
 */

export type NewAccount = {
  code: string
  name: string
  type: AccountType
  parentId?: number | null
  currency?: string | null
}

export type AccountChanges = {
  name?: string
  isActive?: boolean
  parentId?: number | null
}

async function parentOf(parentId: number | null | undefined, self?: LedgerAccount) {
  if (parentId === undefined || parentId === null) return null
  const parent = await LedgerAccount.find(parentId)
  if (!parent) throw ApiError.validation('parentId', `Unknown parent account ${parentId}`)
  // no cycles: walk up from the new parent
  for (let at: LedgerAccount | null = parent; at && self;) {
    if (at.id === self.id)
      throw ApiError.validation('parentId', 'An account cannot be placed under itself')
    at = at.parentId ? await LedgerAccount.find(at.parentId) : null
  }
  return parent
}

export async function createAccount(input: NewAccount): Promise<LedgerAccount> {
  if (await LedgerAccount.findBy('code', input.code)) {
    throw new ApiError(409, 'ACCOUNT_CODE_TAKEN', `An account with code "${input.code}" exists`, {
      pointer: '/data/attributes/code',
    })
  }
  const parent = await parentOf(input.parentId)
  if (parent && parent.type !== input.type)
    throw ApiError.validation('parentId', `The parent account is ${parent.type}, not ${input.type}`)
  const account = await LedgerAccount.create({
    code: input.code,
    name: input.name,
    type: input.type,
    normalSide: normalSideOf(input.type),
    parentId: parent?.id ?? null,
    currency: input.currency ?? null,
    isActive: true,
  })
  await audit({
    action: 'ledger.account.created',
    subjectType: 'ledger-account',
    subjectId: account.id,
    meta: { code: account.code, type: account.type, currency: account.currency },
  })
  return account
}

/* Rename, (de)activate or move an account; its code, type and currency never change. */
export async function updateAccount(
  account: LedgerAccount,
  input: AccountChanges
): Promise<LedgerAccount> {
  const before = { name: account.name, isActive: account.isActive, parentId: account.parentId }
  if (input.parentId !== undefined) {
    const parent = await parentOf(input.parentId, account)
    if (parent && parent.type !== account.type)
      throw ApiError.validation(
        'parentId',
        `The parent account is ${parent.type}, not ${account.type}`
      )
    account.parentId = parent?.id ?? null
  }
  if (input.name !== undefined) account.name = input.name
  if (input.isActive !== undefined) {
    if (!input.isActive && account.role === 'retained_earnings')
      throw new ApiError(
        409,
        'ACCOUNT_REQUIRED',
        'The retained earnings account cannot be deactivated'
      )
    account.isActive = input.isActive
  }
  await account.save()
  await audit({
    action: 'ledger.account.updated',
    subjectType: 'ledger-account',
    subjectId: account.id,
    meta: {
      before,
      after: { name: account.name, isActive: account.isActive, parentId: account.parentId },
    },
  })
  return account
}
