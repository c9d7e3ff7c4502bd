import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#http/api_error'

/*
 * Helpers of the ledger staff pages. The pages read the same query parameters
 * as the API (dates YYYY-MM-DD, filter[...], page, limit) through the same
 * parsers, which refuse bad ones with a 400 ApiError; a page answers that by
 * going back to its plain URL with the message, as forms do.
 */
export async function pageOrBack<T>(ctx: HttpContext, path: string, render: () => Promise<T>) {
  try {
    return await render()
  } catch (error) {
    // without a query string there is nothing to drop: never redirect to the same URL again
    const hasQuery = ctx.request.url(true) !== ctx.request.url()
    if (!(error instanceof ApiError) || error.status !== 400 || !hasQuery) throw error
    ctx.session.flashErrors({ query: error.message })
    return ctx.response.redirect().toPath(path)
  }
}

/* The form field an ApiError points at (`/data/attributes/code` -> `code`), else `form`. */
export function fieldOf(error: ApiError) {
  return error.pointer?.split('/').pop() || 'form'
}

/* The same page as CSV: the page's own URL with format=csv (the API's CSV code path). */
export function csvUrl(path: string, params: Record<string, string | null | undefined>) {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value)
  query.set('format', 'csv')
  return `${path}?${query}`
}
