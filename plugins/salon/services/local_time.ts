import { DateTime, IANAZone } from 'luxon'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/* An IANA zone name luxon (and Intl) knows, e.g. Europe/London; "UTC" is accepted too. */
export function isValidZone(name: string) {
  return typeof name === 'string' && name.length <= 64 && IANAZone.isValidZone(name)
}

/*
 * Epoch ms of a wall-clock time on a local date: 09:00 stays 09:00 on both
 * sides of a DST change. A time skipped by a spring-forward gap moves forward
 * (luxon's rule). On a day without an offset change (almost every day) the time
 * is local midnight plus the minutes; luxon answers the few days with one.
 * Cached: availability asks for the same few days and times many times.
 */
export type LocalDay = { midnight: number; uniform: boolean }
const days = new Map<string, LocalDay>()
const cache = new Map<string, number>()

export function localDay(zone: string, date: string): LocalDay {
  const key = `${zone}|${date}`
  let day = days.get(key)
  if (day) return day
  const [year, month, dayOfMonth] = date.split('-').map(Number)
  const midnight = DateTime.fromObject({ year, month, day: dayOfMonth }, { zone }).toMillis()
  // the same offset just before midnight, at noon and 24 hours later: no transition that day
  const offset = offsetMinutes(zone, midnight)
  const uniform =
    offsetMinutes(zone, midnight - 1) === offset &&
    offsetMinutes(zone, midnight + DAY / 2) === offset &&
    offsetMinutes(zone, midnight + DAY) === offset
  day = { midnight, uniform }
  if (days.size > 100_000) days.clear()
  days.set(key, day)
  return day
}

export function localToEpoch(zone: string, date: string, minute: number): number {
  const day = localDay(zone, date)
  if (day.uniform && minute >= 0 && minute <= 1440) return day.midnight + minute * MINUTE
  const key = `${zone}|${date}|${minute}`
  let value = cache.get(key)
  if (value !== undefined) return value
  const [year, month, dayOfMonth] = date.split('-').map(Number)
  const base = DateTime.fromObject({ year, month, day: dayOfMonth }, { zone })
  value =
    minute >= 1440
      ? base.plus({ days: 1 }).startOf('day').toMillis()
      : base.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis()
  if (cache.size > 200_000) cache.clear()
  cache.set(key, value)
  return value
}

/* The local calendar day of an instant, as days since 1970-01-01 (a number to key or compare by). */
export function localDayNumber(zone: string, ms: number) {
  return Math.floor((ms + offsetMinutes(zone, ms) * MINUTE) / DAY)
}

/* "YYYY-MM-DD" of a day number (calendar arithmetic, no zone involved) */
const dateStrings = new Map<number, string>()
export function dateOfDayNumber(dayNumber: number) {
  let date = dateStrings.get(dayNumber)
  if (date === undefined) {
    date = new Date(dayNumber * DAY).toISOString().slice(0, 10)
    if (dateStrings.size > 100_000) dateStrings.clear()
    dateStrings.set(dayNumber, date)
  }
  return date
}

/* Local dates (YYYY-MM-DD) and their ISO weekday covering [fromMs, toMs) in a zone. */
export function localDates(zone: string, fromMs: number, toMs: number) {
  const dates: { date: string; weekday: number }[] = []
  const last = localDayNumber(zone, toMs)
  // day 0, 1970-01-01, was a Thursday (ISO weekday 4)
  for (let day = localDayNumber(zone, fromMs); day <= last; day++)
    dates.push({ date: dateOfDayNumber(day), weekday: ((((day + 3) % 7) + 7) % 7) + 1 })
  return dates
}

/* "09:30" -> 570; "24:00" -> 1440 */
export function minuteOfDay(value: string) {
  const [hours, minutes] = value.split(':').map(Number)
  return hours * 60 + minutes
}

export function clock(minute: number) {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
}

/*
 * Minutes east of UTC at an instant. Asking Intl is slow (microseconds per
 * call) and availability asks thousands of times: offsets are cached per zone
 * and quarter hour, the granularity of every real zone transition.
 */
const QUARTER = 15 * 60_000
const offsets = new Map<string, Map<number, number>>()
export function offsetMinutes(zone: string, ms: number) {
  let byQuarter = offsets.get(zone)
  if (!byQuarter) offsets.set(zone, (byQuarter = new Map()))
  const quarter = Math.floor(ms / QUARTER)
  let value = byQuarter.get(quarter)
  if (value === undefined) {
    value = IANAZone.create(zone).offset(quarter * QUARTER)
    if (byQuarter.size > 500_000) byQuarter.clear()
    byQuarter.set(quarter, value)
  }
  return value
}

const pad = (value: number) => String(value).padStart(2, '0')

/* "HH:MM:00" for each minute of a day, and "+01:00" per offset: isoIn builds from these */
const clocks = Array.from(
  { length: 1440 },
  (_, minute) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:00`
)
const suffixes = new Map<number, string>()
function offsetSuffix(offset: number) {
  let suffix = suffixes.get(offset)
  if (suffix === undefined) {
    const abs = Math.abs(offset)
    suffix = `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
    suffixes.set(offset, suffix)
  }
  return suffix
}

/* ISO 8601 in the zone with its offset ("2026-03-30T09:00:00+01:00"), without luxon's per-call cost */
export function isoIn(zone: string, ms: number) {
  const offset = offsetMinutes(zone, ms)
  const local = ms + offset * MINUTE
  const day = Math.floor(local / DAY)
  const within = local - day * DAY
  const time =
    within % MINUTE === 0 ? clocks[within / MINUTE] : new Date(local).toISOString().slice(11, 19)
  const suffix = offset === 0 ? (zone === 'UTC' ? 'Z' : '+00:00') : offsetSuffix(offset)
  return `${dateOfDayNumber(day)}T${time}${suffix}`
}
