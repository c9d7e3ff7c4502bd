import { DateTime } from 'luxon'

/* Calendar dates as YYYY-MM-DD text (UTC), as the ledger keeps them. */
export const today = () => DateTime.utc().toISODate()!

export const addDays = (date: string, days: number) =>
  DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!

/* whole days from `from` to `to` (negative when `to` is earlier) */
export const daysBetween = (from: string, to: string) =>
  Math.round(
    DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days
  )
