import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import LedgerAccount from '#ledger/models/ledger_account'
import { validateAttributes, single, resource } from '#http/envelope'
import { paginate, parseListParams } from '#http/list_query'
import { createAccount, updateAccount } from '#ledger/chart_of_accounts'
import { accountResource } from '#ledger/resources'
import { createAccountValidator, updateAccountValidator } from '#ledger/validators'
import { ledger } from '#ledger/ledger_service'
import { formatMinor } from '#ledger/money'
import { statement } from '#ledger/reports'
import { dateRange, wantsCsv, sendCsv } from '#ledger/controllers/query_params'

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
    const account = await createAccount(input)
    ctx.response.status(201)
    return single(accountResource(account))
  }

  async update(ctx: HttpContext) {
    const account = await LedgerAccount.findOrFail(ctx.params.id)
    const input = await validateAttributes(ctx, updateAccountValidator)
    return single(accountResource(await updateAccount(account, input)))
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
