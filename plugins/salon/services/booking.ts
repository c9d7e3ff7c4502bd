import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError, audit, isTeamMember } from '#plinth'
import Appointment from '../models/appointment.js'
import AppointmentService from '../models/appointment_service.js'
import BookingSlot from '../models/booking_slot.js'
import Location from '../models/location.js'
import Resource from '../models/resource.js'
import { type BookingPlan, bookingPlan, type Hold, holdsAt } from './booking_plan.js'
import { contains, startWindows, type StartWindows } from './availability.js'
import { isoIn, localDayNumber } from './local_time.js'
import { sumMinor } from './money.js'
import { publish, salonSettings, type SalonSettings } from './salon_plugin.js'
import { clientResolver, type NewClient } from './clients.js'
import { offerFreedSlot } from './waitlist.js'
import { biller } from './invoicing_bridge.js'
import { withRetry } from './transient.js'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

export type BookingInput = {
  clientId?: number
  client?: NewClient
  serviceIds: number[]
  staffId?: number
  locationId?: number
  startsAt: string
  endsAt?: string
  currency?: string
  notes?: string | null
  recurrence?: { everyWeeks: number; count: number }
}

/* why a start cannot be booked; `taken` is a 409, the others 422 */
type Refusal = { code: string; detail: string; taken: boolean }

const at = (field: string) => `/data/attributes/${field}`

export function parseInstant(value: string, field: string): number {
  const parsed = DateTime.fromISO(value, { setZone: true })
  if (!parsed.isValid || !/T\d{2}:\d{2}/.test(value))
    throw new ApiError(
      422,
      'VALIDATION_ERROR',
      `"${value}" is not an ISO 8601 date and time (e.g. 2026-03-30T09:00:00+01:00)`,
      { pointer: at(field) }
    )
  // without an offset the instant would depend on the server's zone
  if (!/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value))
    throw new ApiError(
      422,
      'VALIDATION_ERROR',
      `"${value}" needs its UTC offset or Z (e.g. 2026-03-30T09:00:00+01:00)`,
      { pointer: at(field) }
    )
  return parsed.toMillis()
}

/* staffId given: a team member able to do every service; else every able member */
export async function candidateStaff(plan: BookingPlan, staffId?: number) {
  if (staffId === undefined) {
    if (!plan.staffIds.length)
      throw new ApiError(422, 'NO_STAFF', 'Nobody on the team performs these services', {
        pointer: at('serviceIds'),
      })
    return plan.staffIds
  }
  if (!(await isTeamMember(staffId)))
    throw new ApiError(422, 'UNKNOWN_STAFF', `No team member with id ${staffId}`, {
      pointer: at('staffId'),
    })
  if (!plan.staffIds.includes(staffId))
    throw new ApiError(
      422,
      'STAFF_CANNOT_PERFORM',
      'This staff member does not perform every service asked for',
      { pointer: at('staffId') }
    )
  return [staffId]
}

function refusalAt(
  windows: StartWindows[],
  startMs: number,
  nowMs: number,
  settings: SalonSettings,
  locationId?: number
): Refusal | { window: StartWindows } {
  if (startMs <= nowMs)
    return { code: 'SLOT_IN_PAST', detail: 'This time is in the past', taken: false }
  if (startMs < nowMs + settings.minimumNoticeMinutes * MINUTE)
    return {
      code: 'MINIMUM_NOTICE',
      detail: `Bookings need ${settings.minimumNoticeMinutes} minutes' notice`,
      taken: false,
    }
  if (startMs > nowMs + settings.bookingHorizonDays * DAY)
    return {
      code: 'BEYOND_HORIZON',
      detail: `Bookings open ${settings.bookingHorizonDays} days ahead`,
      taken: false,
    }
  const here = windows.filter((w) => locationId === undefined || w.locationId === locationId)
  const free = here.find((w) => contains(w.starts, startMs))
  if (free) return { window: free }
  if (here.some((w) => contains(w.open, startMs)))
    return { code: 'SLOT_TAKEN', detail: 'This time is already booked', taken: true }
  return {
    code: 'OUTSIDE_HOURS',
    detail: 'Nobody who performs these services works at this time',
    taken: false,
  }
}

const refusalError = (refusal: Refusal) =>
  new ApiError(refusal.taken ? 409 : 422, refusal.code, refusal.detail, {
    pointer: refusal.taken ? undefined : at('startsAt'),
  })

/*
 * Takes the holds of a booking: the overlap check runs in the transaction
 * (on SQLite, writes are serialized on the one connection, so check and insert
 * are atomic); on PostgreSQL the exclusion constraint refuses an overlapping
 * row even when two transactions check at the same moment.
 */
async function takeHolds(holds: Hold[], appointment: Appointment, trx: TransactionClientContract) {
  for (const hold of holds) {
    const overlapping = await BookingSlot.query({ client: trx })
      .select('unit')
      .where('subject_kind', hold.kind)
      .where('subject_id', hold.subjectId)
      .where('starts_ms', '<', hold.to)
      .where('ends_ms', '>', hold.from)
    const resource =
      hold.kind === 'resource'
        ? await Resource.query({ client: trx }).where('id', hold.subjectId).first()
        : null
    const capacity = resource?.capacity ?? 1
    const used = new Set(overlapping.map((row) => row.unit))
    const free = Array.from({ length: capacity }, (_, unit) => unit).filter((u) => !used.has(u))
    if (!free.length) throw slotTaken(hold)
    await takeUnit(hold, free, appointment, trx)
  }
}

/*
 * Inserts the hold on the first free unit. On PostgreSQL another transaction
 * may take that unit between our check and our insert: the exclusion
 * constraint refuses it (23P01) inside a savepoint, and the next free unit of
 * a resource with capacity is tried before answering SLOT_TAKEN. Two inserts
 * of conflicting holds can also deadlock on the constraint (40P01): with another
 * unit left its savepoint is rolled back and that unit tried; otherwise the
 * whole booking is run again (withRetry), and sees what the winner committed.
 */
async function takeUnit(
  hold: Hold,
  units: number[],
  appointment: Appointment,
  trx: TransactionClientContract
) {
  for (const [index, unit] of units.entries()) {
    const row = {
      appointmentId: appointment.id,
      subjectKind: hold.kind,
      subjectId: hold.subjectId,
      unit,
      startsMs: hold.from,
      endsMs: hold.to,
    }
    try {
      if (units.length === 1) await BookingSlot.create(row, { client: trx })
      else await trx.transaction((savepoint) => BookingSlot.create(row, { client: savepoint }))
      return
    } catch (error) {
      // exclusion_violation: another transaction took it first; deadlock_detected: two
      // transactions inserting conflicting holds waited on each other (PostgreSQL aborts one)
      const code = (error as { code?: string }).code
      const last = index === units.length - 1
      if (code === '23P01' && last) throw slotTaken(hold)
      if (code !== '23P01' && (code !== '40P01' || last)) throw error
    }
  }
}

function slotTaken(hold: Hold) {
  return ApiError.conflict(
    'SLOT_TAKEN',
    hold.kind === 'staff'
      ? 'This time is already booked for this staff member'
      : 'A resource this service needs is fully booked at this time',
    { subject: hold.kind, subjectId: hold.subjectId }
  )
}

export function eventPayload(appointment: Appointment) {
  return {
    appointmentId: appointment.id,
    clientId: appointment.clientId,
    staffId: appointment.staffUserId,
    status: appointment.status,
    startsAt: new Date(appointment.startsMs).toISOString(),
    endsAt: new Date(appointment.endsMs).toISOString(),
  }
}

export async function publishAppointment(
  verb: string,
  appointment: Appointment,
  trx: TransactionClientContract,
  extra: Record<string, unknown> = {}
) {
  await publish(
    `salon.appointment.${verb}`,
    { type: 'salon.appointment', id: appointment.id },
    { ...eventPayload(appointment), ...extra },
    trx
  )
  await audit(
    {
      action: `salon.appointment.${verb}`,
      subjectType: 'salon-appointment',
      subjectId: appointment.id,
      meta: extra,
    },
    trx
  )
}

function priceOf(plan: BookingPlan, currency: string) {
  return plan.items.map(({ service }) => {
    const price = service.prices?.[currency]
    if (price === undefined)
      throw new ApiError(
        422,
        'CURRENCY_NOT_PRICED',
        `"${service.name}" has no price in ${currency}`,
        { pointer: at('currency') }
      )
    return { price, deposit: service.deposits?.[currency] ?? '0' }
  })
}

/* the currency asked for, or the one every service of the sequence is priced in */
function currencyOf(plan: BookingPlan, asked?: string) {
  if (asked) return asked
  const shared = Object.keys(plan.services[0].prices ?? {}).filter((code) =>
    plan.services.every((service) => service.prices?.[code] !== undefined)
  )
  if (shared.length !== 1)
    throw new ApiError(
      422,
      'VALIDATION_ERROR',
      shared.length
        ? `Say which currency: ${shared.join(', ')}`
        : 'These services have no price in one shared currency',
      { pointer: at('currency') }
    )
  return shared[0]
}

/*
 * Books one appointment, or a weekly series all-or-nothing (every occurrence
 * checked, the conflicts listed in one 409). Staff: the one asked for, or the
 * first free able member (fewest bookings first, as availability shows).
 */
export function book(input: BookingInput): Promise<Appointment[]> {
  return withRetry(() => bookOnce(input))
}

async function bookOnce(input: BookingInput): Promise<Appointment[]> {
  const settings = await salonSettings()
  const plan = await bookingPlan(input.serviceIds)
  const candidates = await candidateStaff(plan, input.staffId)
  const startMs = parseInstant(input.startsAt, 'startsAt')
  if (input.endsAt !== undefined) {
    const endMs = parseInstant(input.endsAt, 'endsAt')
    if (endMs <= startMs)
      throw new ApiError(422, 'VALIDATION_ERROR', 'endsAt must be after startsAt', {
        pointer: at('endsAt'),
      })
    if (endMs !== startMs + plan.durationMs)
      throw new ApiError(
        422,
        'VALIDATION_ERROR',
        `These services take ${plan.durationMs / MINUTE} minutes: endsAt does not match`,
        { pointer: at('endsAt') }
      )
  }
  if (input.locationId !== undefined && !(await Location.find(input.locationId)))
    throw new ApiError(422, 'UNKNOWN_LOCATION', `No location with id ${input.locationId}`, {
      pointer: at('locationId'),
    })
  const currency = currencyOf(plan, input.currency)
  const prices = priceOf(plan, currency)
  const nowMs = Date.now()

  // occurrences: the same local wall-clock time every N weeks
  const first = await placeStart(plan, candidates, startMs, nowMs, settings, input.locationId)
  const starts = [startMs]
  if (input.recurrence) {
    const local = DateTime.fromMillis(startMs, { zone: first.window.zone })
    for (let index = 1; index < input.recurrence.count; index++)
      starts.push(local.plus({ weeks: index * input.recurrence.everyWeeks }).toMillis())
  }
  const windows =
    starts.length > 1
      ? await startWindows({
          plan,
          // a series stays with the staff member of its first appointment
          staffIds: [first.window.staffId],
          fromMs: starts[0],
          toMs: starts[starts.length - 1] + 1,
          nowMs,
          settings,
          locationId: first.window.locationId,
        })
      : [first.window]
  const placed: { startMs: number; window: StartWindows }[] = []
  const conflicts: { index: number; startsAt: string; code: string; detail: string }[] = []
  starts.forEach((start, index) => {
    const outcome = refusalAt(
      // the first one keeps the staff member availability chose
      index === 0 ? [first.window] : windows,
      start,
      nowMs,
      settings,
      first.window.locationId
    )
    if ('window' in outcome) placed.push({ startMs: start, window: outcome.window })
    else
      conflicts.push({
        index,
        startsAt: isoIn(first.window.zone, start),
        code: outcome.code,
        detail: outcome.detail,
      })
  })
  if (conflicts.length)
    throw new ApiError(
      409,
      'SLOT_TAKEN',
      `${conflicts.length} of ${starts.length} occurrences cannot be booked; nothing was booked`,
      { meta: { conflicts } }
    )

  const seriesId = input.recurrence ? randomUUID() : null
  const resolveClient = await clientResolver(input)
  const bill = await biller()
  return db.transaction(async (trx) => {
    const clientId = await resolveClient(trx)
    const booked: Appointment[] = []
    for (const [index, { startMs: start, window }] of placed.entries()) {
      const appointment = await Appointment.create(
        {
          clientId,
          locationId: window.locationId,
          staffUserId: window.staffId,
          status: 'booked',
          startsMs: start,
          endsMs: start + plan.durationMs,
          currency,
          priceMinor: sumMinor(prices.map((p) => p.price)),
          depositMinor: sumMinor(prices.map((p) => p.deposit)),
          feeMinor: '0',
          feeReason: null,
          seriesId,
          seriesIndex: seriesId ? index : null,
          notes: input.notes ?? null,
        },
        { client: trx }
      )
      await AppointmentService.createMany(
        plan.items.map((item, position) => ({
          appointmentId: appointment.id,
          serviceId: item.service.id,
          position,
          startsMs: start + item.from,
          endsMs: start + item.to,
          priceMinor: prices[position].price,
        })),
        { client: trx }
      )
      try {
        await takeHolds(holdsAt(plan, window.staffId, start), appointment, trx)
      } catch (error) {
        if (error instanceof ApiError && seriesId && error.code === 'SLOT_TAKEN')
          error.meta = {
            ...error.meta,
            conflicts: [
              {
                index,
                startsAt: isoIn(window.zone, start),
                code: 'SLOT_TAKEN',
                detail: error.message,
              },
            ],
          }
        throw error
      }
      await publishAppointment('booked', appointment, trx, seriesId ? { seriesId } : {})
      if (bill) await bill(appointment, 'deposit', appointment.depositMinor, trx)
      booked.push(appointment)
    }
    return booked
  })
}

/* where (staff, location) a start can go, or the reason it cannot */
async function placeStart(
  plan: BookingPlan,
  candidates: number[],
  startMs: number,
  nowMs: number,
  settings: SalonSettings,
  locationId?: number,
  ignoreAppointmentId?: number
) {
  const windows = await startWindows({
    plan,
    staffIds: candidates,
    fromMs: startMs,
    toMs: startMs + 1,
    nowMs,
    settings,
    locationId,
    ignoreAppointmentId,
  })
  // with "any staff", the least busy free member that day, as availability assigns
  if (candidates.length > 1) {
    const load = await staffLoad(candidates, startMs)
    const rank = (window: StartWindows) => load.onDay(window.staffId, startMs, window.zone)
    windows.sort((a, b) => rank(a) - rank(b) || a.staffId - b.staffId)
  }
  const outcome = refusalAt(windows, startMs, nowMs, settings, locationId)
  if ('window' in outcome) return outcome
  throw refusalError(outcome)
}

/*
 * Booked appointments per staff member and local day: "any staff" gives a
 * start to the free member with the fewest that day (then the lowest id),
 * the same in availability and in booking. A Map of totals per member too.
 */
export class StaffLoad extends Map<number, number> {
  /* keyed by member and local day number (see dayKey) */
  readonly #byDay = new Map<number, number>()

  static dayKey(staffId: number, dayNumber: number) {
    return staffId * 1_000_000 + dayNumber
  }

  add(staffId: number, startsMs: number, zone: string) {
    this.set(staffId, (this.get(staffId) ?? 0) + 1)
    const key = StaffLoad.dayKey(staffId, localDayNumber(zone, startsMs))
    this.#byDay.set(key, (this.#byDay.get(key) ?? 0) + 1)
  }

  /* the local day of the last start asked about: a slot asks once per staff member */
  #day = { startsMs: Number.NaN, zone: '', dayNumber: 0 }

  onDay(staffId: number, startsMs: number, zone: string) {
    if (this.#day.startsMs !== startsMs || this.#day.zone !== zone)
      this.#day = { startsMs, zone, dayNumber: localDayNumber(zone, startsMs) }
    return this.#byDay.get(StaffLoad.dayKey(staffId, this.#day.dayNumber)) ?? 0
  }
}

export async function staffLoad(staffIds: number[], aroundMs: number, toMs = aroundMs + 1) {
  const load = new StaffLoad()
  if (staffIds.length < 2) return load
  // plain rows: a month of a salon's bookings is hundreds of them
  const [rows, locations] = await Promise.all([
    Appointment.query()
      .select('staff_user_id', 'starts_ms', 'location_id')
      .whereIn('staff_user_id', staffIds)
      .where('status', 'booked')
      .where('starts_ms', '>=', aroundMs - 2 * DAY)
      .where('starts_ms', '<', toMs + 2 * DAY)
      .pojo<{ staff_user_id: number; starts_ms: number | string; location_id: number }>(),
    Location.query().select('id', 'time_zone').pojo<{ id: number; time_zone: string }>(),
  ])
  const zone = new Map(locations.map((row) => [Number(row.id), row.time_zone]))
  for (const row of rows)
    load.add(
      Number(row.staff_user_id),
      Number(row.starts_ms),
      zone.get(Number(row.location_id)) ?? 'UTC'
    )
  return load
}

async function zoneOf(appointment: Appointment, trx?: TransactionClientContract) {
  const location = await Location.query({ client: trx })
    .where('id', appointment.locationId)
    .firstOrFail()
  return location.timeZone
}
export { zoneOf }

async function lockBooked(id: number, trx: TransactionClientContract) {
  const appointment = await Appointment.query({ client: trx }).where('id', id).forUpdate().first()
  if (!appointment) throw ApiError.notFound('Appointment')
  return appointment
}

function mustBeBooked(appointment: Appointment) {
  if (appointment.status !== 'booked')
    throw ApiError.conflict(
      'APPOINTMENT_NOT_BOOKED',
      `This appointment is ${appointment.status.replace('_', '-')}, not booked`
    )
}

/* Moves an appointment (and its holds) to another start, with the same guarantees as booking. */
export function reschedule(
  id: number,
  input: { startsAt: string; staffId?: number; locationId?: number }
) {
  return withRetry(() => rescheduleOnce(id, input))
}

async function rescheduleOnce(
  id: number,
  input: { startsAt: string; staffId?: number; locationId?: number }
) {
  const settings = await salonSettings()
  const current = await Appointment.query().where('id', id).preload('services').first()
  if (!current) throw ApiError.notFound('Appointment')
  mustBeBooked(current)
  const plan = await bookingPlan(
    current.services.sort((a, b) => a.position - b.position).map((item) => item.serviceId)
  )
  const candidates = await candidateStaff(plan, input.staffId ?? current.staffUserId)
  const startMs = parseInstant(input.startsAt, 'startsAt')
  const { window } = await placeStart(
    plan,
    candidates,
    startMs,
    Date.now(),
    settings,
    input.locationId ?? current.locationId,
    current.id
  )
  const previous = { startsMs: current.startsMs, staffUserId: current.staffUserId }
  return db.transaction(async (trx) => {
    const appointment = await lockBooked(id, trx)
    mustBeBooked(appointment)
    await BookingSlot.query({ client: trx }).where('appointment_id', id).delete()
    appointment.merge({
      startsMs: startMs,
      endsMs: startMs + plan.durationMs,
      staffUserId: window.staffId,
      locationId: window.locationId,
    })
    await appointment.useTransaction(trx).save()
    for (const [position, item] of plan.items.entries())
      await AppointmentService.query({ client: trx })
        .where('appointment_id', id)
        .where('position', position)
        .update({ starts_ms: startMs + item.from, ends_ms: startMs + item.to })
    await takeHolds(holdsAt(plan, window.staffId, startMs), appointment, trx)
    await publishAppointment('rescheduled', appointment, trx, {
      previousStartsAt: new Date(previous.startsMs).toISOString(),
      previousStaffId: previous.staffUserId,
    })
    await offerFreedSlot(
      { ...previous, appointmentId: id, serviceIds: plan.services.map((s) => s.id) },
      trx
    )
    return appointment
  })
}

/*
 * Cancels: free until the policy's hours before the start, then the late
 * fee (a share of the price) is recorded. The freed time goes to the waitlist.
 */
export function cancel(id: number, input: { reason?: string | null } = {}) {
  return withRetry(() => cancelOnce(id, input))
}

async function cancelOnce(id: number, input: { reason?: string | null }) {
  const settings = await salonSettings()
  const bill = await biller()
  return db.transaction(async (trx) => {
    const appointment = await lockBooked(id, trx)
    mustBeBooked(appointment)
    const nowMs = Date.now()
    const late = nowMs > appointment.startsMs - settings.cancellationPolicyHours * 60 * MINUTE
    const fee = late ? percentOfPrice(appointment, settings.lateCancelFeePercent) : '0'
    appointment.merge({
      status: 'cancelled',
      cancelledAtMs: nowMs,
      feeMinor: fee,
      feeReason: late && fee !== '0' ? 'late_cancel' : null,
    })
    await appointment.useTransaction(trx).save()
    await BookingSlot.query({ client: trx }).where('appointment_id', id).delete()
    await publishAppointment('cancelled', appointment, trx, {
      late,
      fee,
      currency: appointment.currency,
      reason: input.reason ?? null,
    })
    if (bill && appointment.feeReason) await bill(appointment, 'late_cancel', fee, trx)
    const items = await AppointmentService.query({ client: trx }).where('appointment_id', id)
    await offerFreedSlot(
      {
        startsMs: appointment.startsMs,
        staffUserId: appointment.staffUserId,
        appointmentId: id,
        serviceIds: items.map((item) => item.serviceId),
      },
      trx
    )
    return appointment
  })
}

function percentOfPrice(appointment: Appointment, percent: number) {
  return ((BigInt(appointment.priceMinor) * BigInt(percent) + 50n) / 100n).toString()
}

/* no-show (with its fee) or completed: only once the appointment has started */
export function close(id: number, outcome: 'no_show' | 'completed') {
  return withRetry(() => closeOnce(id, outcome))
}

async function closeOnce(id: number, outcome: 'no_show' | 'completed') {
  const settings = await salonSettings()
  const bill = outcome === 'no_show' ? await biller() : null
  return db.transaction(async (trx) => {
    const appointment = await lockBooked(id, trx)
    mustBeBooked(appointment)
    if (Date.now() < appointment.startsMs)
      throw ApiError.conflict(
        'APPOINTMENT_NOT_STARTED',
        `An appointment can be marked ${outcome === 'no_show' ? 'no-show' : 'completed'} once it has started`
      )
    const fee = outcome === 'no_show' ? percentOfPrice(appointment, settings.noShowFeePercent) : '0'
    appointment.merge({
      status: outcome,
      feeMinor: fee,
      feeReason: outcome === 'no_show' && fee !== '0' ? 'no_show' : null,
    })
    await appointment.useTransaction(trx).save()
    // the chair and the staff member are free again from now on
    await BookingSlot.query({ client: trx }).where('appointment_id', id).delete()
    await publishAppointment(outcome, appointment, trx, {
      fee,
      currency: appointment.currency,
    })
    if (bill && appointment.feeReason) await bill(appointment, 'no_show', fee, trx)
    return appointment
  })
}
