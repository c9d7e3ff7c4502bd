import { DateTime } from 'luxon'

/* A real calendar date written YYYY-MM-DD (years 1900-9999). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = DateTime.fromISO(value, { zone: 'utc' })
  return date.isValid && date.toISODate() === value && date.year >= 1900
}

export function isPeriod(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) && value >= '1900-01'
}

/* The month (YYYY-MM) a date falls in. */
export const periodOf = (date: string) => date.slice(0, 7)
