import { DateTime, IANAZone } from 'luxon'

/* An IANA zone name luxon (and Intl) knows, e.g. Europe/London; "UTC" is accepted too. */
export function isValidZone(name: string) {
  return typeof name === 'string' && name.length <= 64 && IANAZone.isValidZone(name)
}

/*
 * Epoch ms of a wall-clock time on a local date: 09:00 stays 09:00 on both
 * sides of a DST change. A time skipped by a spring-forward gap moves forward
 * (luxon's rule). Cached: availability asks for the same few times many times.
 */
const cache = new Map<string, number>()
export function localToEpoch(zone: string, date: string, minute: number): number {
  const key = `${zone}|${date}|${minute}`
  let value = cache.get(key)
  if (value !== undefined) return value
  const [year, month, day] = date.split('-').map(Number)
  const base = DateTime.fromObject({ year, month, day }, { zone })
  value =
    minute >= 1440
      ? base.plus({ days: 1 }).startOf('day').toMillis()
      : base.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis()
  if (cache.size > 200_000) cache.clear()
  cache.set(key, value)
  return value
}

/* Local dates (YYYY-MM-DD) and their ISO weekday covering [fromMs, toMs) in a zone. */
export function localDates(zone: string, fromMs: number, toMs: number) {
  const dates: { date: string; weekday: number }[] = []
  let day = DateTime.fromMillis(fromMs, { zone }).startOf('day')
  const last = DateTime.fromMillis(toMs, { zone }).startOf('day')
  while (day <= last) {
    dates.push({ date: day.toISODate()!, weekday: day.weekday })
    day = day.plus({ days: 1 })
  }
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

/* ISO 8601 in the zone with its offset ("2026-03-30T09:00:00+01:00"), without luxon's per-call cost */
export function isoIn(zone: string, ms: number) {
  const offset = offsetMinutes(zone, ms)
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19)
  if (offset === 0) return `${local}${zone === 'UTC' ? 'Z' : '+00:00'}`
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
