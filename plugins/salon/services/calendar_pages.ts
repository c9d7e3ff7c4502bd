import { DateTime } from 'luxon'
import vine from '@vinejs/vine'
import {
  ApiError,
  teamMembers,
  type PluginActionContext,
  type PluginActionResult,
  type PluginPageContext,
} from '#plinth'
import { findClient } from '../../crm/public.js'
import Appointment from '../models/appointment.js'
import BookingSlot from '../models/booking_slot.js'
import Location from '../models/location.js'
import Resource from '../models/resource.js'
import Service from '../models/service.js'
import ServiceStaff from '../models/service_staff.js'
import { book, reschedule } from './booking.js'
import { isoIn } from './local_time.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/
/* the hours the grid shows at least; appointments outside widen it */
const GRID_FROM = 8 * 60
const GRID_TO = 20 * 60

type Column = { key: string; label: string; date: string; staffId?: number; resourceId?: number }

const positiveInt = (raw: unknown) => {
  const value = Number(raw)
  return typeof raw === 'string' && /^[0-9]{1,15}$/.test(raw) && value > 0 ? value : undefined
}

async function calendarLocation(raw: unknown) {
  const id = positiveInt(raw)
  return (
    (id ? await Location.find(id) : null) ?? (await Location.query().orderBy('id').first()) ?? null
  )
}

/* names of CRM clients, one lookup each (a day or a week holds few) */
async function clientNames(ids: number[]) {
  const names = new Map<number, string>()
  for (const id of new Set(ids)) {
    const client = await findClient(id)
    names.set(id, client ? client.name : `Client ${id}`)
  }
  return names
}

/*
 * The staff calendar: a day (one column per staff member, or per resource)
 * or a week (one column per day, for one staff member or one resource), in
 * the location's time zone. ?view=day|week&date=YYYY-MM-DD&staffId=|resourceId=&locationId=
 */
export async function calendarProps(ctx: PluginPageContext) {
  const view = ctx.query.view === 'week' ? 'week' : 'day'
  const location = await calendarLocation(ctx.query.locationId)
  const zone = location?.timeZone ?? 'UTC'
  const today = DateTime.now().setZone(zone).toISODate()!
  const asked =
    typeof ctx.query.date === 'string' && DATE.test(ctx.query.date) ? ctx.query.date : ''
  let day = DateTime.fromISO(asked || today, { zone })
  if (!day.isValid) day = DateTime.fromISO(today, { zone })
  const start = view === 'week' ? day.startOf('week') : day.startOf('day')
  const days = Array.from({ length: view === 'week' ? 7 : 1 }, (_, index) =>
    start.plus({ days: index })
  )
  const fromMs = start.toMillis()
  const toMs = start.plus({ days: days.length }).toMillis()

  const [team, links, resources, services, locations] = await Promise.all([
    teamMembers(),
    ServiceStaff.query(),
    Resource.query().orderBy('name').orderBy('id'),
    Service.query().where('active', true).orderBy('name'),
    Location.query().orderBy('id'),
  ])
  const performing = new Set(links.map((link) => link.userId))
  const staff = team.filter((member) => performing.has(member.id))
  const staffName = new Map(team.map((member) => [member.id, member.fullName]))

  const resourceId = positiveInt(ctx.query.resourceId)
  const resource = resourceId ? resources.find((row) => row.id === resourceId) : undefined
  let staffId = positiveInt(ctx.query.staffId)
  if (staffId && !staffName.has(staffId)) staffId = undefined
  // a week is one person's (or one resource's): the first performer when none is named
  if (view === 'week' && !staffId && !resource) staffId = staff[0]?.id

  const columns: Column[] = []
  if (view === 'day') {
    const date = start.toISODate()!
    if (resource)
      columns.push({ key: `r${resource.id}`, label: resource.name, date, resourceId: resource.id })
    else if (ctx.query.subject === 'resources')
      for (const row of resources)
        columns.push({ key: `r${row.id}`, label: row.name, date, resourceId: row.id })
    else
      for (const member of staffId ? staff.filter((m) => m.id === staffId) : staff)
        columns.push({ key: `s${member.id}`, label: member.fullName, date, staffId: member.id })
  } else {
    for (const d of days) {
      const date = d.toISODate()!
      columns.push({
        key: date,
        label: d.toFormat('ccc d LLL'),
        date,
        ...(resource ? { resourceId: resource.id } : { staffId }),
      })
    }
  }

  // appointments in range: by staff member, or those holding the resource(s)
  const resourceColumns = columns.filter((c) => c.resourceId !== undefined)
  const query = Appointment.query()
    .where('starts_ms', '<', toMs)
    .where('ends_ms', '>', fromMs)
    .whereNot('status', 'cancelled')
    .preload('services')
    .orderBy('starts_ms')
  const holds = new Map<number, number[]>()
  if (resourceColumns.length) {
    const slots = await BookingSlot.query()
      .where('subject_kind', 'resource')
      .whereIn(
        'subject_id',
        resourceColumns.map((c) => c.resourceId!)
      )
      .where('starts_ms', '<', toMs)
      .where('ends_ms', '>', fromMs)
    for (const slot of slots)
      holds.set(slot.appointmentId, [...(holds.get(slot.appointmentId) ?? []), slot.subjectId])
    query.whereIn('id', [...holds.keys(), 0])
  } else {
    query.whereIn('staff_user_id', [...new Set(columns.map((c) => c.staffId!)), 0])
  }
  const rows = await query
  const clients = await clientNames(rows.map((row) => row.clientId))
  const serviceName = new Map(services.map((service) => [service.id, service.name]))
  let gridFrom = GRID_FROM
  let gridTo = GRID_TO

  const appointments = rows.flatMap((row) => {
    const local = DateTime.fromMillis(row.startsMs, { zone })
    const date = local.toISODate()!
    const startMinute = local.hour * 60 + local.minute
    const endMinute = startMinute + Math.round((row.endsMs - row.startsMs) / 60_000)
    gridFrom = Math.min(gridFrom, Math.floor(startMinute / 60) * 60)
    gridTo = Math.max(gridTo, Math.min(24 * 60, Math.ceil(endMinute / 60) * 60))
    const column = columns.find(
      (c) =>
        c.date === date &&
        (c.resourceId !== undefined
          ? (holds.get(row.id) ?? []).includes(c.resourceId)
          : c.staffId === row.staffUserId)
    )
    if (!column) return []
    return [
      {
        id: row.id,
        column: column.key,
        startsAt: isoIn(zone, row.startsMs),
        endsAt: isoIn(zone, row.endsMs),
        startMinute,
        endMinute,
        status: row.status,
        clientId: row.clientId,
        clientName: clients.get(row.clientId) ?? '',
        staffId: row.staffUserId,
        staffName: staffName.get(row.staffUserId) ?? '',
        services: row.services
          .sort((a, b) => a.position - b.position)
          .map((item) => serviceName.get(item.serviceId) ?? `Service ${item.serviceId}`),
        serviceIds: row.services.map((item) => item.serviceId),
        price: row.priceMinor,
        currency: row.currency,
        notes: row.notes,
      },
    ]
  })

  const step = view === 'week' ? { weeks: 1 } : { days: 1 }
  return {
    view,
    date: start.toISODate()!,
    today,
    timeZone: zone,
    locationId: location?.id ?? null,
    locations: locations.map((row) => ({ id: row.id, name: row.name, timeZone: row.timeZone })),
    prev: start.minus(step).toISODate()!,
    next: start.plus(step).toISODate()!,
    subject: resource
      ? { kind: 'resource', id: resource.id }
      : staffId
        ? { kind: 'staff', id: staffId }
        : { kind: ctx.query.subject === 'resources' ? 'resources' : 'staff', id: null },
    staff,
    resources: resources.map((row) => ({ id: row.id, name: row.name, capacity: row.capacity })),
    services: services.map((service) => ({
      id: service.id,
      name: service.name,
      durationMinutes: service.durationMinutes,
      staffIds: links.filter((link) => link.serviceId === service.id).map((link) => link.userId),
    })),
    columns,
    appointments,
    grid: { fromMinute: gridFrom, toMinute: gridTo },
    canWrite: ctx.permissions.has('salon.write'),
  }
}

/* a local wall-clock time from the calendar ("2026-03-30T09:15") in the location's zone, as ISO */
async function localStart(raw: string, locationId?: number) {
  const location = await calendarLocation(locationId ? String(locationId) : undefined)
  const zone = location?.timeZone ?? 'UTC'
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(raw)
  const parsed = hasOffset
    ? DateTime.fromISO(raw, { setZone: true })
    : DateTime.fromISO(raw, { zone })
  if (!parsed.isValid || !/T\d{2}:\d{2}/.test(raw))
    throw ApiError.validation('startsAt', 'Pick a date and a time')
  return parsed.toISO({ suppressMilliseconds: true })!
}

const id = () => vine.number().withoutDecimals().positive()

export const calendarBookValidator = vine.compile(
  vine.object({
    serviceId: id(),
    staffId: id().optional(),
    locationId: id().optional(),
    startsAt: vine.string().maxLength(40),
    clientId: id().optional(),
    clientName: vine.string().trim().minLength(1).maxLength(200).optional(),
    clientEmail: vine.string().trim().toLowerCase().email().maxLength(254).optional(),
    clientPhone: vine.string().trim().minLength(3).maxLength(40).optional(),
    notes: vine.string().trim().maxLength(2000).optional(),
  })
)

export const calendarRescheduleValidator = vine.compile(
  vine.object({
    startsAt: vine.string().maxLength(40),
    staffId: id().optional(),
  })
)

/* POST /app/salon/calendar/book: books from the calendar through the booking service */
export async function bookFromCalendar(ctx: PluginActionContext): Promise<PluginActionResult> {
  const input = await calendarBookValidator.validate(ctx.body)
  if (input.clientId === undefined && !input.clientName)
    throw ApiError.validation('clientName', 'Pick a client or give the new client’s name')
  const booked = await book({
    serviceIds: [input.serviceId],
    staffId: input.staffId,
    locationId: input.locationId,
    startsAt: await localStart(input.startsAt, input.locationId),
    notes: input.notes ?? null,
    ...(input.clientId !== undefined
      ? { clientId: input.clientId }
      : {
          client: {
            name: input.clientName!,
            ...(input.clientEmail ? { email: input.clientEmail } : {}),
            ...(input.clientPhone ? { phone: input.clientPhone } : {}),
          },
        }),
  })
  return { notice: `Booked (appointment ${booked[0].id})` }
}

/* POST /app/salon/calendar/appointments/:id/reschedule */
export async function rescheduleFromCalendar(
  ctx: PluginActionContext
): Promise<PluginActionResult> {
  const appointmentId = positiveInt(String(ctx.params.id ?? ''))
  const current = appointmentId ? await Appointment.find(appointmentId) : null
  if (!current) throw ApiError.notFound('Appointment')
  const input = await calendarRescheduleValidator.validate(ctx.body)
  await reschedule(current.id, {
    startsAt: await localStart(input.startsAt, current.locationId),
    staffId: input.staffId,
  })
  return { notice: 'Appointment moved' }
}
