import type { HttpContext } from '@adonisjs/core/http'
import LedgerPeriod from '#ledger/models/ledger_period'
import { resource, single } from '#http/envelope'
import { paginate } from '#http/list_query'
import { ApiError } from '#http/api_error'
import { ledger } from '#ledger/ledger_service'
import { isPeriod } from '#ledger/dates'

const periodResource = (period: { period: string; isLocked: boolean; updatedAt?: any }) =>
  resource('ledger-period', period.period, {
    period: period.period,
    isLocked: period.isLocked,
    ...(period.updatedAt ? { updatedAt: period.updatedAt.toISO?.() ?? null } : {}),
  })

function periodParam(ctx: HttpContext) {
  const period = ctx.params.period
  if (!isPeriod(period)) throw ApiError.notFound('Period (write it YYYY-MM)')
  return period
}

/* Months of the books; a month without a row is open. */
export default class PeriodsController {
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      LedgerPeriod.query(),
      {
        sortable: { period: 'period' },
        filterable: { isLocked: { column: 'is_locked', type: 'boolean' } },
        defaultSort: '-period',
      },
      periodResource
    )
  }

  async lock(ctx: HttpContext) {
    const result = await ledger.setPeriodLock(periodParam(ctx), true, ctx.actor?.user.id ?? null)
    return single(periodResource(result), { changed: result.changed })
  }

  async unlock(ctx: HttpContext) {
    const result = await ledger.setPeriodLock(periodParam(ctx), false, ctx.actor?.user.id ?? null)
    return single(periodResource(result), { changed: result.changed })
  }
}
