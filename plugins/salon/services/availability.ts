import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Location from '../models/location.js'
import Resource from '../models/resource.js'
import WeeklyHours from '../models/weekly_hours.js'
import DateOverride from '../models/date_override.js'
import TimeOff from '../models/time_off.js'
import BookingSlot from '../models/booking_slot.js'
import type { BookingPlan } from './booking_plan.js'
import { type Interval, intersect, normalize, saturated, subtract } from './intervals.js'
import { isoIn, localDates, localDay, localToEpoch, offsetMinutes } from './local_time.js'
import type { SalonSettings } from './salon_plugin.js'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

/*
 * Availability, computed in memory with interval arithmetic from a handful of
 * queries (hours, overrides, time off, held slots, resources, locations): per
 * staff member and location, the set of instants at which the booking plan
 * can start. Slots are then read off that set on a grid aligned to local time.
 */
export type StartWindows = {
  staffId: number
  locationId: number
  zone: string
  /* instants the booking may start at: [from, to) */
  starts: Interval[]
  /* the same, ignoring held slots and time off (to tell "taken" from "closed") */
  open: Interval[]
}

export type AvailabilityQuery = {
  plan: BookingPlan
  staffIds: number[]
  fromMs: number
  toMs: number
  nowMs: number
  settings: SalonSettings
  locationId?: number
  /* an appointment being rescheduled does not stand in its own way */
  ignoreAppointmentId?: number
  trx?: TransactionClientContract
}

/* the start instants where [s + from, s + to) hits none of the busy intervals */
function blockedStarts(busy: Interval[], from: number, to: number): Interval[] {
  return busy.map(([c, d]) => [c - to + 1, d - from] as Interval)
}

/* rows read as plain objects (no model instances: availability reads hundreds of rows per call) */
type SlotRow = { subject_id: number; starts_ms: number | string; ends_ms: number | string }
type HoursRow = {
  user_id: number
  location_id: number
  weekday: number
  kind: 'work' | 'break'
  starts_minute: number
  ends_minute: number
}
type OverrideRow = {
  user_id: number
  location_id: number
  date: string
  intervals: string | unknown
}
type TimeOffRow = { user_id: number; starts_ms: number | string; ends_ms: number | string }
type LocationRow = { id: number; time_zone: string; opening_hours: string | unknown }

/* a json text column: a string on SQLite, parsed already when the driver knows the type */
const parsed = <T>(value: unknown): T =>
  (typeof value === 'string' ? JSON.parse(value) : value) as T

export async function startWindows(query: AvailabilityQuery): Promise<StartWindows[]> {
  const { plan, staffIds, fromMs, toMs, settings, trx } = query
  if (!staffIds.length) return []
  const options = { client: trx }
  // widen by a day: local dates around the edges and holds reaching across them
  const lo = fromMs - DAY
  const hi = toMs + DAY
  const resourceIds = plan.resources.map((hold) => hold.subjectId)

  const slotQuery = (kind: 'staff' | 'resource', ids: number[]) => {
    const q = BookingSlot.query(options)
      .select('subject_id', 'starts_ms', 'ends_ms')
      .where('subject_kind', kind)
      .whereIn('subject_id', ids)
      .where('starts_ms', '<', hi)
      .where('ends_ms', '>', lo)
    if (query.ignoreAppointmentId) q.whereNot('appointment_id', query.ignoreAppointmentId)
    // PostgreSQL: the exclusion constraint's GiST index then finds the holds by their
    // period (a second either side to spare rounding) instead of the tenant's whole history
    if (q.client.dialect.name === 'postgres')
      q.whereRaw(
        'period && tstzrange(to_timestamp(?::bigint / 1000.0), to_timestamp(?::bigint / 1000.0))',
        [lo - 1000, hi + 1000]
      )
    return q.pojo<SlotRow>()
  }
  const [locations, weekly, overrides, timeOff, staffSlots, resources, resourceSlots] =
    await Promise.all([
      (query.locationId
        ? Location.query(options).where('id', query.locationId)
        : Location.query(options)
      )
        .select('id', 'time_zone', 'opening_hours')
        .pojo<LocationRow>(),
      WeeklyHours.query(options)
        .select('user_id', 'location_id', 'weekday', 'kind', 'starts_minute', 'ends_minute')
        .whereIn('user_id', staffIds)
        .pojo<HoursRow>(),
      DateOverride.query(options)
        .select('user_id', 'location_id', 'date', 'intervals')
        .whereIn('user_id', staffIds)
        .whereBetween('date', [
          new Date(lo - DAY).toISOString().slice(0, 10),
          new Date(hi + DAY).toISOString().slice(0, 10),
        ])
        .pojo<OverrideRow>(),
      TimeOff.query(options)
        .select('user_id', 'starts_ms', 'ends_ms')
        .whereIn('user_id', staffIds)
        .where('starts_ms', '<', hi)
        .where('ends_ms', '>', lo)
        .pojo<TimeOffRow>(),
      slotQuery('staff', staffIds),
      resourceIds.length ? Resource.query(options).whereIn('id', resourceIds) : [],
      resourceIds.length ? slotQuery('resource', resourceIds) : [],
    ])

  const zoneOf = new Map(
    locations.map((row) => [
      Number(row.id),
      {
        zone: row.time_zone,
        opening: parsed<{ weekday: number; opens: number; closes: number }[] | null>(
          row.opening_hours
        ),
      },
    ])
  )
  const earliest = Math.max(fromMs, query.nowMs + settings.minimumNoticeMinutes * MINUTE)
  const latest = Math.min(toMs, query.nowMs + settings.bookingHorizonDays * DAY)
  if (earliest >= latest) return []
  const clamp: Interval[] = [[earliest, latest]]

  // resources: where every unit is held, as instants a start may not take
  let resourceBlocked: Interval[] = []
  for (const hold of plan.resources) {
    const capacity = resources.find((row) => row.id === hold.subjectId)?.capacity ?? 1
    const full = saturated(
      resourceSlots
        .filter((slot) => Number(slot.subject_id) === hold.subjectId)
        .map((slot) => [Number(slot.starts_ms), Number(slot.ends_ms)] as Interval),
      capacity
    )
    resourceBlocked = resourceBlocked.concat(blockedStarts(full, hold.from, hold.to))
  }
  resourceBlocked = normalize(resourceBlocked)

  // rows grouped by staff member once, rather than filtered per member and day
  const group = <T>(rows: T[], key: (row: T) => number) => {
    const byKey = new Map<number, T[]>()
    for (const row of rows) {
      const k = key(row)
      const list = byKey.get(k)
      if (list) list.push(row)
      else byKey.set(k, [row])
    }
    return byKey
  }
  const hoursOf = group(weekly, (row) => Number(row.user_id))
  const overridesOf = group(overrides, (row) => Number(row.user_id))
  const slotsOf = group(staffSlots, (row) => Number(row.subject_id))
  const timeOffOf = group(timeOff, (row) => Number(row.user_id))

  const datesOf = new Map<number, ReturnType<typeof localDates>>()
  const result: StartWindows[] = []
  for (const staffId of staffIds) {
    const hours = hoursOf.get(staffId) ?? []
    const staffOverrides = new Map<string, { locationId: number; intervals: Interval[] }>()
    for (const row of overridesOf.get(staffId) ?? [])
      staffOverrides.set(row.date, {
        locationId: Number(row.location_id),
        intervals: parsed<[number, number][]>(row.intervals),
      })
    const locationIds = [
      ...new Set([
        ...hours.map((row) => Number(row.location_id)),
        ...[...staffOverrides.values()].map((row) => row.locationId),
      ]),
    ].filter((id) => zoneOf.has(id))
    if (!locationIds.length) continue

    const busy = normalize([
      ...(slotsOf.get(staffId) ?? []).map(
        (slot) => [Number(slot.starts_ms), Number(slot.ends_ms)] as Interval
      ),
      ...(timeOffOf.get(staffId) ?? []).map(
        (row) => [Number(row.starts_ms), Number(row.ends_ms)] as Interval
      ),
    ])
    const staffBlocked = normalize([
      ...blockedStarts(busy, plan.staffFrom, plan.staffTo),
      ...resourceBlocked,
    ])

    for (const locationId of locationIds) {
      const { zone, opening } = zoneOf.get(locationId)!
      // the local working minutes of each weekday at this location (hours less breaks, within opening hours)
      const weekdays = new Map<number, Interval[]>()
      const minutesOn = (weekday: number) => {
        let day = weekdays.get(weekday)
        if (day) return day
        const of = (kind: 'work' | 'break') =>
          normalize(
            hours
              .filter(
                (row) =>
                  Number(row.location_id) === locationId &&
                  Number(row.weekday) === weekday &&
                  row.kind === kind
              )
              .map((row) => [Number(row.starts_minute), Number(row.ends_minute)] as Interval)
          )
        day = withinOpening(subtract(of('work'), of('break')), weekday)
        weekdays.set(weekday, day)
        return day
      }
      const withinOpening = (day: Interval[], weekday: number) =>
        opening?.length
          ? intersect(
              normalize(day),
              normalize(
                opening
                  .filter((row) => row.weekday === weekday)
                  .map((row) => [row.opens, row.closes] as Interval)
              )
            )
          : day

      const working: Interval[] = []
      if (!datesOf.has(locationId)) datesOf.set(locationId, localDates(zone, lo, hi))
      for (const { date, weekday } of datesOf.get(locationId)!) {
        const override = staffOverrides.get(date)
        // another location's override takes the whole day there
        if (override && override.locationId !== locationId) continue
        const day = override
          ? withinOpening(
              override.intervals.map(([a, b]) => [a, b] as Interval),
              weekday
            )
          : minutesOn(weekday)
        const { midnight, uniform } = localDay(zone, date)
        for (const [a, b] of day)
          working.push(
            uniform && a >= 0 && b <= 1440
              ? [midnight + a * MINUTE, midnight + b * MINUTE]
              : [localToEpoch(zone, date, a), localToEpoch(zone, date, b)]
          )
      }
      // a start s fits when [s, s + duration] lies inside a working interval
      const open = intersect(
        normalize(normalize(working).map(([a, b]) => [a, b - plan.durationMs + 1] as Interval)),
        clamp
      )
      result.push({
        staffId,
        locationId,
        zone,
        open,
        starts: subtract(open, staffBlocked),
      })
    }
  }
  return result
}

export type Slot = {
  startMs: number
  locationId: number
  zone: string
  /* staff free at that start, the assigned one first */
  staffIds: number[]
}

/*
 * Bookable starts on a grid of `stepMinutes` aligned to local midnight, the
 * union over the staff asked about. The assigned staff member of a slot is the
 * one with the fewest bookings that local day (then the lowest id), as booking
 * with "any staff" assigns.
 */
export function slotsFrom(
  windows: StartWindows[],
  stepMinutes: number,
  load: Map<number, number> & {
    onDay?: (staffId: number, startsMs: number, zone: string) => number
  }
) {
  const step = stepMinutes * MINUTE
  const byLocation = new Map<number, Map<number, Slot>>()
  for (const window of windows) {
    for (const [a, b] of window.starts) {
      let offset = offsetMinutes(window.zone, a) * MINUTE
      let s = Math.ceil((a + offset) / step) * step - offset
      while (s < b) {
        let byStart = byLocation.get(window.locationId)
        if (!byStart) byLocation.set(window.locationId, (byStart = new Map()))
        const slot = byStart.get(s)
        if (slot) slot.staffIds.push(window.staffId)
        else
          byStart.set(s, {
            startMs: s,
            locationId: window.locationId,
            zone: window.zone,
            staffIds: [window.staffId],
          })
        s += step
        // re-align after a DST change inside the window
        const next = offsetMinutes(window.zone, s) * MINUTE
        if (next !== offset) {
          s = Math.ceil((s + next) / step) * step - next
          offset = next
        }
      }
    }
  }
  // the fewest bookings that local day (StaffLoad), else in the range, then the lowest id
  const rank = (id: number, slot: Slot) =>
    load.onDay ? load.onDay(id, slot.startMs, slot.zone) : (load.get(id) ?? 0)
  return [...byLocation.values()]
    .flatMap((byStart) => [...byStart.values()])
    .map((slot) => {
      if (slot.staffIds.length < 2) return slot
      const ranked = slot.staffIds.map((id) => [rank(id, slot), id] as const)
      ranked.sort((x, y) => x[0] - y[0] || x[1] - y[1])
      return { ...slot, staffIds: ranked.map(([, id]) => id) }
    })
    .sort((x, y) => x.startMs - y.startMs || x.locationId - y.locationId)
}

export function slotAttributes(slot: Slot, durationMs: number) {
  return {
    startsAt: isoIn(slot.zone, slot.startMs),
    endsAt: isoIn(slot.zone, slot.startMs + durationMs),
    timeZone: slot.zone,
    locationId: slot.locationId,
    staffId: slot.staffIds[0],
    staffIds: slot.staffIds,
  }
}

/* does an interval list contain the instant? */
export function contains(intervals: Interval[], at: number) {
  return intervals.some(([a, b]) => a <= at && at < b)
}
