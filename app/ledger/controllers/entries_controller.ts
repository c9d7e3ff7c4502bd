import type { HttpContext } from '@adonisjs/core/http'
import { validateAttributes, single } from '#http/envelope'
import { ApiError } from '#http/api_error'
import { IDEMPOTENCY_HEADER } from '#http/idempotency'
import { ledger } from '#ledger/ledger_service'
import { entryResource } from '#ledger/resources'
import { listJournal } from '#ledger/journal'
import { postEntryValidator, reverseEntryValidator } from '#ledger/validators'

/* Entries written through the API (a person, or an integration with a token). */
const API_SOURCE = 'kernel'

function overrideAllowed(ctx: HttpContext, requested: boolean | undefined) {
  if (!requested) return false
  if (!ctx.actor?.permissions.has('ledger.periods.override')) {
    throw new ApiError(
      403,
      'FORBIDDEN',
      'Posting into a locked period needs ledger.periods.override',
      {
        pointer: '/data/attributes/overrideLock',
      }
    )
  }
  return true
}

export default class EntriesController {
  /* The journal (filters: see listJournal). */
  async index(ctx: HttpContext) {
    const { entries, meta } = await listJournal(ctx.request.qs())
    return { data: entries.map(entryResource), meta }
  }

  async show({ params }: HttpContext) {
    const entry = await ledger.find(params.id)
    if (!entry) throw ApiError.notFound('Ledger entry')
    return single(entryResource(entry))
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, postEntryValidator)
    const idempotencyKey = input.idempotencyKey ?? ctx.request.header(IDEMPOTENCY_HEADER)
    if (!idempotencyKey)
      throw ApiError.validation(
        'idempotencyKey',
        'Every entry needs an idempotency key: send idempotencyKey or an Idempotency-Key header'
      )
    const entry = await ledger.post(
      {
        date: input.date,
        memo: input.memo,
        currency: input.currency,
        lines: input.lines as any,
        source: { plugin: API_SOURCE, reference: input.reference ?? null },
        idempotencyKey,
      },
      {
        actorUserId: ctx.actor?.user.id ?? null,
        allowLockedPeriod: overrideAllowed(ctx, input.overrideLock),
      }
    )
    ctx.response.status(entry.replayed ? 200 : 201)
    return single(entryResource(entry), { replayed: entry.replayed })
  }

  async reverse(ctx: HttpContext) {
    const input = await validateAttributes(ctx, reverseEntryValidator)
    const entry = await ledger.reverse(
      ctx.params.id,
      { date: input.date, memo: input.memo },
      {
        actorUserId: ctx.actor?.user.id ?? null,
        allowLockedPeriod: overrideAllowed(ctx, input.overrideLock),
      }
    )
    ctx.response.status(entry.replayed ? 200 : 201)
    return single(entryResource(entry), { replayed: entry.replayed })
  }
}
