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

export function isoIn(zone: string, ms: number) {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!
}

/* minutes east of UTC at an instant */
export function offsetMinutes(zone: string, ms: number) {
  return IANAZone.create(zone).offset(ms)
}
