import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#plinth'
import { agingQueryValidator } from '../validators/invoice_validator.js'
import { arAging, BUCKETS } from '../services/aging.js'
import { agingResource } from '../services/resources.js'

export default class ReportsController {
  /* GET /reports/ar-aging?asOf=YYYY-MM-DD&currency=EUR */
  async arAging({ request }: HttpContext) {
    const query = request.qs()
    let input: { asOf?: string; currency?: string }
    try {
      input = await agingQueryValidator.validate({ asOf: query.asOf, currency: query.currency })
    } catch (error: any) {
      const first = error?.messages?.[0]
      const problem = new ApiError(
        400,
        'INVALID_QUERY_PARAMETER',
        first?.message ?? 'Invalid query parameter'
      )
      problem.parameter = first?.field
      throw problem
    }
    const report = await arAging(input)
    const totals = Object.fromEntries(
      [...report.totals].map(([currency, sums]) => [
        currency,
        Object.fromEntries(
          [...BUCKETS, 'total' as const].map((bucket) => [bucket, sums[bucket].toString()])
        ),
      ])
    )
    return {
      data: report.rows.map(agingResource),
      meta: { asOf: report.asOf, buckets: BUCKETS, totals },
    }
  }
}
