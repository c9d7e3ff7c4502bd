import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import LedgerAccount, { normalSideOf } from '#ledger/models/ledger_account'
import { validateAttributes, single, resource } from '#http/envelope'
import { paginate, parseListParams } from '#http/list_query'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'
import { accountResource } from '#ledger/resources'
import { createAccountValidator, updateAccountValidator } from '#ledger/validators'
import { ledger } from '#ledger/ledger_service'
import { formatMinor } from '#ledger/money'
import { statement } from '#ledger/reports'
import { dateRange, wantsCsv, sendCsv } from '#ledger/controllers/query_params'

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

const balancesOf = (balances: Map<string, bigint>) =>
  [...balances].map(([currency, amount]) => ({
    currency,
    balance: amount.toString(),
    formatted: formatMinor(amount, currency),
  }))

export default class AccountsController {
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      LedgerAccount.query(),
      {
        sortable: { code: 'code', name: 'name', type: 'type', createdAt: 'created_at' },
        filterable: {
          type: 'type',
          currency: 'currency',
          parentId: 'parent_id',
          isActive: { column: 'is_active', type: 'boolean' },
        },
        searchable: ['code', 'name'],
        defaultSort: 'code',
      },
      (account) => accountResource(account)
    )
  }

  async show({ params }: HttpContext) {
    const account = await LedgerAccount.findOrFail(params.id)
    return single(
      accountResource(account, { balances: balancesOf(await ledger.balances(account.id)) })
    )
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createAccountValidator)
    if (await LedgerAccount.findBy('code', input.code)) {
      throw new ApiError(409, 'ACCOUNT_CODE_TAKEN', `An account with code "${input.code}" exists`, {
        pointer: '/data/attributes/code',
      })
    }
    const parent = await parentOf(input.parentId)
    if (parent && parent.type !== input.type)
      throw ApiError.validation(
        'parentId',
        `The parent account is ${parent.type}, not ${input.type}`
      )
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
    ctx.response.status(201)
    return single(accountResource(account))
  }

  async update(ctx: HttpContext) {
    const account = await LedgerAccount.findOrFail(ctx.params.id)
    const input = await validateAttributes(ctx, updateAccountValidator)
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
    return single(accountResource(account))
  }

  /* The account's lines with a running balance; `from`/`to` dates; CSV with ?format=csv. */
  async statement(ctx: HttpContext) {
    const account = await LedgerAccount.findOrFail(ctx.params.id)
    const range = dateRange(ctx)
    const csv = wantsCsv(ctx)
    const qs = { ...ctx.request.qs() }
    for (const key of ['from', 'to', 'format']) delete qs[key]
    const { page, limit } = csv
      ? { page: 1, limit: 100_000 }
      : parseListParams(qs, { sortable: { date: 'entry_date' }, defaultSort: 'date' })
    const result = await statement(account.id, range, { offset: (page - 1) * limit, limit })
    if (csv) {
      return sendCsv(
        ctx,
        `statement-${account.code}.csv`,
        ['date', 'entry', 'memo', 'currency', 'debit', 'credit', 'balance'],
        result.rows.map((row) => [
          row.date,
          row.entryId,
          row.memo,
          row.currency,
          row.amount > 0n ? formatMinor(row.amount, row.currency) : '',
          row.amount < 0n ? formatMinor(-row.amount, row.currency) : '',
          formatMinor(row.balance, row.currency),
        ])
      )
    }
    return {
      data: result.rows.map((row) =>
        resource('ledger-statement-line', row.id, {
          entryId: row.entryId,
          date: row.date,
          memo: row.memo,
          sourcePlugin: row.sourcePlugin,
          sourceReference: row.sourceReference,
          currency: row.currency,
          side: row.amount > 0n ? 'debit' : 'credit',
          amount: (row.amount > 0n ? row.amount : -row.amount).toString(),
          balance: row.balance.toString(),
          formattedBalance: formatMinor(row.balance, row.currency),
        })
      ),
      meta: {
        account: {
          id: account.id,
          code: account.code,
          name: account.name,
          normalSide: account.normalSide,
        },
        from: range.from ?? null,
        to: range.to ?? null,
        openingBalances: Object.fromEntries(
          Object.entries(result.opening).map(([c, v]) => [c, v.toString()])
        ),
        page,
        limit,
        total: result.total,
        totalPages: Math.max(1, Math.ceil(result.total / limit)),
        generatedAt: DateTime.now().toISO(),
      },
    }
  }
}
