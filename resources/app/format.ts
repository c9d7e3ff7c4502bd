import { CURRENCY_EXPONENTS } from '../../app/ledger/currencies.js'

/* Dates as the reader's browser writes them. */
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
})

export const formatDate = (iso: string | null) => (iso ? dateFormat.format(new Date(iso)) : '—')
export const formatDateTime = (iso: string | null) =>
  iso ? dateTimeFormat.format(new Date(iso)) : '—'

/* A calendar date (YYYY-MM-DD) as written, without shifting it through a time zone. */
export const formatDay = (day: string | null) =>
  day ? dateFormat.format(new Date(`${day}T12:00:00`)) : '—'

const groupFormat = new Intl.NumberFormat(undefined, { useGrouping: true })
const decimalSeparator =
  new Intl.NumberFormat(undefined).formatToParts(1.5).find((part) => part.type === 'decimal')
    ?.value ?? '.'

/* The ISO 4217 exponent the ledger uses for a currency (2 when unknown). */
export const currencyExponent = (currency: string) => CURRENCY_EXPONENTS[currency] ?? 2

/*
 * An amount in minor units (a string of digits, as the server sends it) in
 * major units with the reader's grouping: "123456789", "EUR" -> "1,234,567.89".
 * Exact at any size: BigInt arithmetic, never a float.
 */
export function formatAmount(minor: string | bigint, currency: string): string {
  const value = typeof minor === 'bigint' ? minor : BigInt(minor)
  const exponent = currencyExponent(currency)
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0')
  const whole = BigInt(exponent ? digits.slice(0, -exponent) : digits)
  const fraction = exponent ? `${decimalSeparator}${digits.slice(-exponent)}` : ''
  return `${negative ? '−' : ''}${groupFormat.format(whole)}${fraction}`
}

/* formatAmount with the currency code: "1,234.50 EUR". */
export const formatMoney = (minor: string | bigint, currency: string) =>
  `${formatAmount(minor, currency)} ${currency}`

/*
 * A debit-positive balance as the account's normal side reads it: credit-normal
 * accounts (liabilities, equity, revenue) show their usual balance positive.
 */
export function onNormalSide(minor: string, normalSide: 'debit' | 'credit'): string {
  return normalSide === 'debit' ? minor : (-BigInt(minor)).toString()
}

/* Minor units to a plain number of major units, for drawing charts only (never for sums). */
export const toMajorForChart = (minor: string, currency: string) =>
  Number(minor) / 10 ** currencyExponent(currency)
