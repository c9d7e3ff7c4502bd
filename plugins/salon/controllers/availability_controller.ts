import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { ApiError, isTeamMember } from '#plinth'
import Location from '../models/location.js'
import Service from '../models/service.js'
import { bookingPlan } from '../services/booking_plan.js'
import { slotAttributes, slotsFrom, startWindows } from '../services/availability.js'
import { staffLoad } from '../services/booking.js'
import { salonSettings } from '../services/salon_plugin.js'

const DAY = 24 * 60 * 60_000
const MAX_DAYS = 62

function badParameter(parameter: string, detail: string) {
  const error = new ApiError(400, 'INVALID_QUERY_PARAMETER', detail)
  error.parameter = parameter
  return error
}

function ids(raw: unknown, name: string): number[] | undefined {
  if (raw === undefined || raw === '') return undefined
  const parts = String(raw).split(',')
  if (parts.length > 10 || parts.some((part) => !/^[0-9]{1,15}$/.test(part)))
    throw badParameter(name, `"${name}" must be an id (or up to 10, comma-separated)`)
  return parts.map(Number)
}

/* "2026-03-30" (local midnight in the zone; as `to`, the end of that day) or an ISO instant */
function instant(raw: unknown, name: string, zone: string, endOfDay: boolean): number | undefined {
  if (raw === undefined || raw === '') return undefined
  const value = String(raw)
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = DateTime.fromISO(value, { zone })
    if (!day.isValid) throw badParameter(name, `"${name}" is not a valid date`)
    return (endOfDay ? day.plus({ days: 1 }) : day).toMillis()
  }
  const parsed = DateTime.fromISO(value, { setZone: true })
  if (!parsed.isValid || !value.includes('T'))
    throw badParameter(name, `"${name}" must be a date (YYYY-MM-DD) or an ISO 8601 date and time`)
  return parsed.toMillis()
}

/*
 * GET /availability?serviceId=&from=&to=&staffId=&locationId=&step=
 * Bookable starts; with no staffId, the union over every able staff member,
 * each slot naming the one who would be assigned. Without serviceId, every
 * active service (up to 20), each slot naming its service.
 */
export default class AvailabilityController {
  async index({ request, response }: HttpContext) {
    const began = performance.now()
    const qs = request.qs()
    const serviceIds = ids(qs.serviceId, 'serviceId')
    const staffId = ids(qs.staffId, 'staffId')
    if (staffId && staffId.length > 1) throw badParameter('staffId', 'Give one staffId')
    const locationId = ids(qs.locationId, 'locationId')?.[0]
    const step = qs.step === undefined ? 15 : Number(qs.step)
    if (!Number.isInteger(step) || step < 5 || step > 240)
      throw badParameter('step', '"step" must be a whole number of minutes from 5 to 240')

    const location = locationId
      ? await Location.find(locationId)
      : await Location.query().orderBy('id').first()
    if (locationId && !location)
      throw badParameter('locationId', `No location with id ${locationId}`)
    const zone = location?.timeZone ?? 'UTC'
    const nowMs = Date.now()
    const fromMs = instant(qs.from, 'from', zone, false) ?? nowMs
    const toMs = instant(qs.to, 'to', zone, true) ?? fromMs + 7 * DAY
    if (toMs <= fromMs) throw badParameter('to', '"to" must be after "from"')
    if (toMs - fromMs > MAX_DAYS * DAY)
      throw badParameter('to', `Ask for at most ${MAX_DAYS} days at a time`)
    if (staffId && !(await isTeamMember(staffId[0])))
      throw badParameter('staffId', `No team member with id ${staffId[0]}`)

    const settings = await salonSettings()
    const active = serviceIds
      ? []
      : await Service.query().where('active', true).orderBy('id').limit(20)
    const sequences: number[][] = serviceIds ? [serviceIds] : active.map((service) => [service.id])
    const data = []
    for (const sequence of sequences) {
      const plan = await bookingPlan(sequence, { parameter: 'serviceId' })
      if (staffId && !plan.staffIds.includes(staffId[0])) {
        if (serviceIds)
          throw badParameter(
            'staffId',
            'This staff member does not perform every service asked for'
          )
        continue
      }
      const staffIds = staffId ?? plan.staffIds
      const [windows, load] = await Promise.all([
        startWindows({ plan, staffIds, fromMs, toMs, nowMs, settings, locationId }),
        staffIds.length > 1 ? staffLoad(staffIds, fromMs, toMs) : new Map<number, number>(),
      ])
      for (const slot of slotsFrom(windows, step, load)) {
        data.push({
          type: 'salon-slot',
          id: `${sequence.join('+')}@${slot.startMs}@${slot.locationId}`,
          attributes: { serviceIds: sequence, ...slotAttributes(slot, plan.durationMs) },
        })
      }
    }
    const body = {
      data,
      meta: {
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        stepMinutes: step,
        total: data.length,
        computedInMs: Math.round((performance.now() - began) * 10) / 10,
      },
    }
    // a month of slots is ~1,000 objects of plain strings and numbers: the native
    // JSON.stringify writes them several times faster than the framework's safe serializer
    response.header('Content-Type', 'application/json; charset=utf-8')
    return JSON.stringify(body)
  }
}
