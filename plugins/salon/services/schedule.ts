import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { ApiError, audit, isTeamMember, resource } from '#plinth'
import Location from '../models/location.js'
import WeeklyHours from '../models/weekly_hours.js'
import DateOverride from '../models/date_override.js'
import TimeOff from '../models/time_off.js'
import { type Interval, normalize } from './intervals.js'
import { clock, isoIn, minuteOfDay } from './local_time.js'

const at = (field: string) => `/data/attributes/${field}`

/* a staff member of the current tenant (404 when not on the team: ids do not leak) */
export async function staffMember(userId: number) {
  if (!(await isTeamMember(userId))) throw ApiError.notFound('Staff member')
  return userId
}

/* the location named, or the tenant's only one */
export async function locationFor(locationId: number | undefined, pointer: string) {
  if (locationId !== undefined) {
    const location = await Location.find(locationId)
    if (!location)
      throw new ApiError(422, 'UNKNOWN_LOCATION', `No location with id ${locationId}`, { pointer })
    return location
  }
  const all = await Location.query().limit(2)
  if (all.length !== 1)
    throw new ApiError(
      422,
      'VALIDATION_ERROR',
      all.length ? 'Say which location' : 'Create a location first',
      { pointer }
    )
  return all[0]
}

function span(starts: string, ends: string, pointer: string): Interval {
  const a = minuteOfDay(starts)
  const b = minuteOfDay(ends)
  if (b <= a) throw new ApiError(422, 'VALIDATION_ERROR', 'ends must be after starts', { pointer })
  return [a, b]
}

export type WeeklyInput = {
  hours: {
    locationId?: number
    weekday: number
    starts: string
    ends: string
    breaks?: { starts: string; ends: string }[]
  }[]
}

/* Replaces a staff member's weekly hours; intervals may not overlap (one place at a time). */
export async function replaceWeeklyHours(userId: number, input: WeeklyInput) {
  const rows: Pick<
    WeeklyHours,
    'userId' | 'locationId' | 'weekday' | 'kind' | 'startsMinute' | 'endsMinute'
  >[] = []
  const seen: { weekday: number; interval: Interval; index: number }[] = []
  for (const [index, entry] of input.hours.entries()) {
    const pointer = at(`hours/${index}`)
    const location = await locationFor(entry.locationId, `${pointer}/locationId`)
    const work = span(entry.starts, entry.ends, `${pointer}/ends`)
    const clash = seen.find(
      (other) =>
        other.weekday === entry.weekday &&
        other.interval[0] < work[1] &&
        work[0] < other.interval[1]
    )
    if (clash)
      throw new ApiError(422, 'OVERLAPPING_HOURS', `Overlaps hours/${clash.index}`, { pointer })
    seen.push({ weekday: entry.weekday, interval: work, index })
    rows.push({
      userId,
      locationId: location.id,
      weekday: entry.weekday,
      kind: 'work',
      startsMinute: work[0],
      endsMinute: work[1],
    })
    for (const [breakIndex, pause] of (entry.breaks ?? []).entries()) {
      const interval = span(pause.starts, pause.ends, `${pointer}/breaks/${breakIndex}/ends`)
      if (interval[0] < work[0] || interval[1] > work[1])
        throw new ApiError(422, 'VALIDATION_ERROR', 'A break must lie inside its working hours', {
          pointer: `${pointer}/breaks/${breakIndex}`,
        })
      rows.push({
        userId,
        locationId: location.id,
        weekday: entry.weekday,
        kind: 'break',
        startsMinute: interval[0],
        endsMinute: interval[1],
      })
    }
  }
  await db.transaction(async (trx) => {
    await WeeklyHours.query({ client: trx }).where('user_id', userId).delete()
    if (rows.length) await WeeklyHours.createMany(rows, { client: trx })
    await audit({ action: 'salon.schedule.updated', subjectType: 'user', subjectId: userId }, trx)
  })
  return weeklyHours(userId)
}

export async function weeklyHours(userId: number) {
  const rows = await WeeklyHours.query()
    .where('user_id', userId)
    .orderBy('weekday')
    .orderBy('starts_minute')
  return rows
    .filter((row) => row.kind === 'work')
    .map((row) => ({
      locationId: row.locationId,
      weekday: row.weekday,
      starts: clock(row.startsMinute),
      ends: clock(row.endsMinute),
      breaks: rows
        .filter(
          (pause) =>
            pause.kind === 'break' &&
            pause.weekday === row.weekday &&
            pause.locationId === row.locationId &&
            pause.startsMinute >= row.startsMinute &&
            pause.endsMinute <= row.endsMinute
        )
        .map((pause) => ({ starts: clock(pause.startsMinute), ends: clock(pause.endsMinute) })),
    }))
}

export async function saveOverride(input: {
  staffId: number
  locationId?: number
  date: string
  intervals: { starts: string; ends: string }[]
}) {
  const location = await locationFor(input.locationId, at('locationId'))
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || !DateTime.fromISO(input.date).isValid)
    throw new ApiError(422, 'VALIDATION_ERROR', `"${input.date}" is not a date`, {
      pointer: at('date'),
    })
  const intervals = input.intervals.map((row, index) =>
    span(row.starts, row.ends, at(`intervals/${index}/ends`))
  )
  if (normalize(intervals.map(([a, b]) => [a, b])).length !== intervals.length)
    throw new ApiError(422, 'OVERLAPPING_HOURS', 'The intervals overlap', {
      pointer: at('intervals'),
    })
  return db.transaction(async (trx) => {
    const existing = await DateOverride.query({ client: trx })
      .where('user_id', input.staffId)
      .where('date', input.date)
      .first()
    const row = existing ?? new DateOverride()
    row.merge({
      userId: input.staffId,
      locationId: location.id,
      date: input.date,
      intervals: intervals.sort((x, y) => x[0] - y[0]),
    })
    await row.useTransaction(trx).save()
    await audit(
      { action: 'salon.override.saved', subjectType: 'salon-override', subjectId: row.id },
      trx
    )
    return row
  })
}

export const overrideResource = (row: DateOverride) =>
  resource('salon-override', row.id, {
    staffId: row.userId,
    locationId: row.locationId,
    date: row.date,
    intervals: row.intervals.map(([a, b]) => ({ starts: clock(a), ends: clock(b) })),
  })

/* Time off; overlapping another time off of the same staff member is a 409 */
export async function addTimeOff(input: {
  staffId: number
  startsMs: number
  endsMs: number
  reason?: string | null
}) {
  if (input.endsMs <= input.startsMs)
    throw new ApiError(422, 'VALIDATION_ERROR', 'endsAt must be after startsAt', {
      pointer: at('endsAt'),
    })
  return db.transaction(async (trx) => {
    const overlapping = await TimeOff.query({ client: trx })
      .where('user_id', input.staffId)
      .where('starts_ms', '<', input.endsMs)
      .where('ends_ms', '>', input.startsMs)
      .first()
    if (overlapping)
      throw ApiError.conflict(
        'TIME_OFF_OVERLAP',
        'This time off overlaps another time off of the same staff member',
        { timeOffId: overlapping.id }
      )
    const row = await TimeOff.create(
      {
        userId: input.staffId,
        startsMs: input.startsMs,
        endsMs: input.endsMs,
        reason: input.reason ?? null,
      },
      { client: trx }
    )
    await audit(
      { action: 'salon.time_off.created', subjectType: 'salon-time-off', subjectId: row.id },
      trx
    )
    return row
  })
}

export const timeOffResource = (row: TimeOff) =>
  resource('salon-time-off', row.id, {
    staffId: row.userId,
    startsAt: isoIn('UTC', row.startsMs),
    endsAt: isoIn('UTC', row.endsMs),
    reason: row.reason,
  })
