import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#http/api_error'
import { isCalendarDate } from '#ledger/dates'

function badParameter(parameter: string, detail: string) {
  const error = new ApiError(400, 'INVALID_QUERY_PARAMETER', detail)
  error.parameter = parameter
  return error
}

/* An optional YYYY-MM-DD query parameter; anything else is a 400 naming it. */
export function dateParam(ctx: HttpContext, name: string): string | undefined {
  return parseDateParam(ctx.request.qs()[name], name)
}

export function parseDateParam(raw: unknown, name: string): string | undefined {
  if (raw === undefined || raw === '') return undefined
  if (!isCalendarDate(raw)) throw badParameter(name, `"${name}" must be a date written YYYY-MM-DD`)
  return raw
}

export function dateRange(ctx: HttpContext) {
  const from = dateParam(ctx, 'from')
  const to = dateParam(ctx, 'to')
  if (from && to && from > to) throw badParameter('from', '"from" must not be after "to"')
  return { from, to }
}

/* `?format=csv` asks a report for CSV; the default is the JSON envelope. */
export function wantsCsv(ctx: HttpContext) {
  const format = ctx.request.qs().format
  if (format === undefined || format === 'json') return false
  if (format === 'csv') return true
  throw badParameter('format', '"format" must be json or csv')
}

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value)
  // quote always; neutralize spreadsheet formulas
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}

export function sendCsv(ctx: HttpContext, filename: string, header: string[], rows: unknown[][]) {
  const body = [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
  ctx.response.header('content-type', 'text/csv; charset=utf-8')
  ctx.response.header('content-disposition', `attachment; filename="${filename}"`)
  return ctx.response.send(body)
}

export { badParameter }
