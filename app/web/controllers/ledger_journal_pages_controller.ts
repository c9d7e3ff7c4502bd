import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import LedgerAccount from '#ledger/models/ledger_account'
import LedgerEntry from '#ledger/models/ledger_entry'
import { hasPermission } from '#abilities/main'
import { ApiError } from '#http/api_error'
import { ledger, type PostedEntry } from '#ledger/ledger_service'
import { listJournal } from '#ledger/journal'
import { reverseEntryValidator } from '#ledger/validators'
import { pageOrBack } from '#web/ledger_page_support'
import type {
  LedgerEntryProps,
  LedgerEntrySummary,
  LedgerJournalProps,
  LedgerLine,
} from '#web/page_props'

const JOURNAL_PATH = '/app/ledger/entries'

function summaryOf(entry: PostedEntry): LedgerEntrySummary {
  const totals = new Map<string, bigint>()
  for (const line of entry.lines) {
    if (line.side === 'debit')
      totals.set(line.currency, (totals.get(line.currency) ?? 0n) + line.amount)
  }
  return {
    id: entry.id,
    date: entry.date,
    memo: entry.memo,
    sourcePlugin: entry.sourcePlugin,
    sourceReference: entry.sourceReference,
    reversesEntryId: entry.reversesEntryId,
    reversedByEntryId: entry.reversedByEntryId,
    totals: [...totals].map(([currency, amount]) => ({ currency, amount: amount.toString() })),
    accountCodes: [...new Set(entry.lines.map((line) => line.accountCode))],
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/* The journal and its entries, read through the same code as the API; reversal as a form. */
export default class LedgerJournalPagesController {
  /* GET /app/ledger/entries?filter[account]=&filter[from]=&filter[to]=&filter[source]=&page= */
  async index(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'ledger.read')
    return pageOrBack(ctx, JOURNAL_PATH, async () => {
      const qs = ctx.request.qs()
      const { entries, meta } = await listJournal(qs)
      const filter = typeof qs.filter === 'object' && qs.filter !== null ? qs.filter : {}
      const [accounts, sources] = await Promise.all([
        LedgerAccount.query().orderBy('code').select('id', 'code', 'name'),
        LedgerEntry.query().distinct('source_plugin').orderBy('source_plugin'),
      ])
      const props: LedgerJournalProps = {
        entries: entries.map(summaryOf),
        filters: {
          account: text(filter.account),
          from: text(filter.from),
          to: text(filter.to),
          source: text(filter.source),
        },
        pagination: meta,
        accounts: accounts.map(({ id, code, name }) => ({ id, code, name })),
        sources: sources.map((row) => row.sourcePlugin),
      }
      return ctx.inertia.render('ledger/journal', props)
    })
  }

  /* GET /app/ledger/entries/:id: another tenant's entry is not found */
  async show({ actor, bouncer, inertia, params }: HttpContext) {
    await bouncer.authorize(hasPermission, 'ledger.read')
    const entry = await ledger.find(params.id)
    if (!entry) throw ApiError.notFound('Ledger entry')
    const accounts = await LedgerAccount.query()
      .whereIn(
        'id',
        entry.lines.map((line) => line.accountId)
      )
      .select('id', 'name')
    const names = new Map(accounts.map((account) => [account.id, account.name]))
    const lines: LedgerLine[] = entry.lines.map((line) => ({
      id: line.id,
      accountId: line.accountId,
      accountCode: line.accountCode,
      accountName: names.get(line.accountId) ?? '',
      side: line.side,
      amount: line.amount.toString(),
      currency: line.currency,
    }))
    const props: LedgerEntryProps = {
      entry: {
        ...summaryOf(entry),
        idempotencyKey: entry.idempotencyKey,
        createdAt: entry.createdAt,
        lockOverridden: entry.lockOverridden,
        lines,
      },
      // a reversal is not reversed again from the page: post the entry anew instead
      canReverse:
        actor!.permissions.has('ledger.post') &&
        entry.reversedByEntryId === null &&
        entry.reversesEntryId === null,
      canOverrideLock: actor!.permissions.has('ledger.periods.override'),
      today: DateTime.utc().toISODate()!,
    }
    return inertia.render('ledger/entry', props)
  }

  /* POST /app/ledger/entries/:id/reverse (date, memo, overrideLock optional): posts the mirror entry, audited */
  async reverse(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'ledger.post')
    const input = await ctx.request.validateUsing(reverseEntryValidator)
    const back = `${JOURNAL_PATH}/${ctx.params.id}`
    try {
      const reversal = await ledger.reverse(
        ctx.params.id,
        { date: input.date || undefined, memo: input.memo || undefined },
        {
          actorUserId: ctx.actor!.user.id,
          // the override is audited by the service (ledger.period.override)
          allowLockedPeriod:
            input.overrideLock === true && ctx.actor!.permissions.has('ledger.periods.override'),
        }
      )
      // a second click replays the first reversal: the service never posts two
      ctx.session.flash(
        'notice',
        reversal.replayed
          ? `Entry ${ctx.params.id} was already reversed by entry ${reversal.id}.`
          : `Entry ${ctx.params.id} is reversed by entry ${reversal.id}.`
      )
      return ctx.response.redirect().toPath(`${JOURNAL_PATH}/${reversal.id}`)
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 404) throw error
      // already reversed, a locked period, a bad date: shown on the page, nothing posted
      ctx.session.flashErrors({ reverse: error.message })
      return ctx.response.redirect().toPath(back)
    }
  }
}
