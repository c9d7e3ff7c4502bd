import { ApiError, currencyExponent, formatMinor, isCurrency, type ResourceObject } from '#plinth'
import { clientNamesByIds } from '../../crm/public.js'

/*
 * Shared by the invoicing pages' props builders and form actions: the API's
 * resource shapes flattened for Vue, client names, and amounts as people type
 * them (major units) turned into the minor units the services take.
 */

/* `{ type, id, attributes }` -> `{ id, ...attributes }` (amounts stay strings of minor units) */
export const flat = (object: ResourceObject) => ({ id: Number(object.id), ...object.attributes })

export type ClientName = { id: number; name: string }

/* Names of the CRM clients a page shows, in one query through the CRM's public surface (tenant-scoped). */
export async function clientNames(ids: (number | null | undefined)[]) {
  const found = await clientNamesByIds(ids.filter((id): id is number => typeof id === 'number'))
  return Object.fromEntries(found) as Record<number, string>
}

/* A positive page number from ?page= (1 when absent or not a number). */
export function pageNumber(raw: unknown) {
  const page = typeof raw === 'string' ? Number(raw) : 1
  return Number.isSafeInteger(page) && page >= 1 && page <= 100_000 ? page : 1
}

/* A numeric id from a query or form value, or null. */
export function idOf(raw: unknown): number | null {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN
  return Number.isSafeInteger(value) && value > 0 ? value : null
}

/* A query value that must be one of `allowed`, or null. */
export function oneOf<T extends string>(raw: unknown, allowed: readonly T[]): T | null {
  return typeof raw === 'string' && (allowed as readonly string[]).includes(raw) ? (raw as T) : null
}

/*
 * An amount typed in major units ("1,234.50", "12") -> minor units ("123450"),
 * exactly (string digits, never a float), with at most the currency's
 * exponent of decimals. `field` names the form field of the refusal.
 */
export function majorToMinor(raw: unknown, currency: string, field = 'amount'): string {
  if (!isCurrency(currency)) throw ApiError.validation('currency', `Unknown currency "${currency}"`)
  const exponent = currencyExponent(currency)
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : ''
  // digits, optionally grouped by thousands with commas or spaces ("1,234.50", "1 234.50")
  const grouped = /^(\d{1,3}(?:[, ]\d{3})+|\d+)(?:\.(\d*))?$/.exec(text.trim())
  const match = grouped && /^\d{1,15}$/.test(grouped[1].replaceAll(/[, ]/g, '')) ? grouped : null
  if (!match)
    throw ApiError.validation(field, `Write the amount in ${currency} as digits, e.g. 12.50`)
  const fraction = match[2] ?? ''
  if (fraction.length > exponent)
    throw ApiError.validation(
      field,
      exponent === 0
        ? `${currency} has no decimals`
        : `${currency} has at most ${exponent} decimals`
    )
  const minor = BigInt(match[1].replaceAll(/[, ]/g, '') + fraction.padEnd(exponent, '0'))
  return minor.toString()
}

/*
 * Runs a payment or refund service call; its "too much" refusals (amounts in
 * minor units, as the API says them) come back to the page in major units.
 */
export async function withAmountsInMajorUnits<T>(currency: string, action: () => Promise<T>) {
  try {
    return await action()
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const limit = error.meta?.balance ?? error.meta?.refundable
    if (typeof limit !== 'string') throw error
    const money = `${formatMinor(BigInt(limit), currency)} ${currency}`
    throw new ApiError(
      error.status,
      error.code,
      error.code === 'REFUND_EXCEEDS_PAYMENT'
        ? `The refund is more than what is left of the payment (${money})`
        : `The payment is more than what is owed (${money})`,
      { pointer: error.pointer, meta: error.meta }
    )
  }
}
