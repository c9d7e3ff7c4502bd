import type { HttpContext } from '@adonisjs/core/http'
import LedgerAccount, { ACCOUNT_TYPES } from '#ledger/models/ledger_account'
import AccountsController from '#ledger/controllers/accounts_controller'
import { hasPermission } from '#abilities/main'
import { ApiError } from '#http/api_error'
import { parseListParams } from '#http/list_query'
import { balancesByAccount, statement } from '#ledger/reports'
import { createAccount, updateAccount } from '#ledger/chart_of_accounts'
import { createAccountValidator, updateAccountValidator } from '#ledger/validators'
import { dateRange, wantsCsv } from '#ledger/controllers/query_params'
import { csvUrl, fieldOf, pageOrBack } from '#web/ledger_page_support'
import type {
  LedgerAccountRow,
  LedgerAccountsProps,
  LedgerBalance,
  LedgerStatementProps,
} from '#web/page_props'

const ACCOUNTS_PATH = '/app/ledger/accounts'

const rowOf = (account: LedgerAccount, depth: number, balances: LedgerBalance[]) =>
  ({
    id: account.id,
    code: account.code,
    name: account.name,
    type: account.type,
    normalSide: account.normalSide,
    parentId: account.parentId,
    depth,
    currency: account.currency,
    isActive: account.isActive,
    role: account.role,
    balances,
  }) satisfies LedgerAccountRow

/* The chart in tree order (each parent followed by its children, by code), with balances. */
async function chartRows(): Promise<LedgerAccountRow[]> {
  const [accounts, balances] = await Promise.all([
    LedgerAccount.query().orderBy('code'),
    balancesByAccount({}),
  ])
  const balancesOf = new Map<number, LedgerBalance[]>()
  for (const row of balances) {
    const list = balancesOf.get(row.id) ?? []
    list.push({ currency: row.currency, amount: row.balance.toString() })
    balancesOf.set(row.id, list)
  }
  const ids = new Set(accounts.map((account) => account.id))
  const children = new Map<number | null, LedgerAccount[]>()
  for (const account of accounts) {
    const parent = account.parentId !== null && ids.has(account.parentId) ? account.parentId : null
    children.set(parent, [...(children.get(parent) ?? []), account])
  }
  const rows: LedgerAccountRow[] = []
  const visit = (parentId: number | null, depth: number) => {
    for (const account of children.get(parentId) ?? []) {
      rows.push(rowOf(account, depth, balancesOf.get(account.id) ?? []))
      visit(account.id, depth + 1)
    }
  }
  visit(null, 0)
  return rows
}

/* A form refused by the chart's rules (code taken, wrong parent...) goes back with the message on its field. */
async function orFlash(ctx: HttpContext, change: () => Promise<string>) {
  try {
    ctx.session.flash('notice', await change())
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 404) throw error
    ctx.session.flashErrors({ [fieldOf(error)]: error.message })
  }
  return ctx.response.redirect().toPath(ACCOUNTS_PATH)
}

/* Chart of accounts and account statements. Changes go through the same service as the API. */
export default class LedgerAccountsPagesController {
  async index({ actor, bouncer, inertia }: HttpContext) {
    await bouncer.authorize(hasPermission, 'ledger.read')
    const props: LedgerAccountsProps = {
      accounts: await chartRows(),
      types: [...ACCOUNT_TYPES],
      canWrite: actor!.permissions.has('ledger.accounts.write'),
    }
    return inertia.render('ledger/accounts', props)
  }

  /* POST /app/ledger/accounts */
  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'ledger.accounts.write')
    const input = await ctx.request.validateUsing(createAccountValidator)
    return orFlash(ctx, async () => {
      const account = await createAccount(input)
      return `Account ${account.code} ${account.name} added.`
    })
  }

  /* POST /app/ledger/accounts/:id: rename, move, (de)activate */
  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'ledger.accounts.write')
    const account = await LedgerAccount.findOrFail(ctx.params.id)
    const input = await ctx.request.validateUsing(updateAccountValidator)
    return orFlash(ctx, async () => {
      await updateAccount(account, input)
      if (input.isActive === false) return `Account ${account.code} deactivated.`
      if (input.isActive === true) return `Account ${account.code} reactivated.`
      return `Account ${account.code} saved.`
    })
  }

  /* GET /app/ledger/accounts/:id: the statement with a running balance (?from=&to=&page=, ?format=csv) */
  async statement(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'ledger.read')
    const account = await LedgerAccount.findOrFail(ctx.params.id)
    const path = `${ACCOUNTS_PATH}/${account.id}`
    return pageOrBack(ctx, path, async () => {
      if (wantsCsv(ctx)) return new AccountsController().statement(ctx)
      const range = dateRange(ctx)
      const { page, limit } = parseListParams(
        { page: ctx.request.qs().page, limit: ctx.request.qs().limit ?? '50' },
        { sortable: { date: 'entry_date' }, defaultSort: 'date' }
      )
      const [result, balances] = await Promise.all([
        statement(account.id, range, { offset: (page - 1) * limit, limit }),
        balancesByAccount({}),
      ])
      const props: LedgerStatementProps = {
        account: rowOf(
          account,
          0,
          balances
            .filter((row) => row.id === account.id)
            .map((row) => ({ currency: row.currency, amount: row.balance.toString() }))
        ),
        range: { from: range.from ?? '', to: range.to ?? '' },
        opening: Object.entries(result.opening).map(([currency, amount]) => ({
          currency,
          amount: amount.toString(),
        })),
        lines: result.rows.map((row) => ({
          id: row.id,
          entryId: row.entryId,
          date: row.date,
          memo: row.memo,
          sourcePlugin: row.sourcePlugin,
          currency: row.currency,
          side: row.amount > 0n ? 'debit' : 'credit',
          amount: (row.amount > 0n ? row.amount : -row.amount).toString(),
          balance: row.balance.toString(),
        })),
        pagination: {
          page,
          limit,
          total: result.total,
          totalPages: Math.max(1, Math.ceil(result.total / limit)),
        },
        csvUrl: csvUrl(path, range),
      }
      return ctx.inertia.render('ledger/statement', props)
    })
  }
}
