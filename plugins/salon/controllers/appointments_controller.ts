import type { HttpContext } from '@adonisjs/core/http'
import { ApiError, paginate, single, validateAttributes } from '#plinth'
import Appointment from '../models/appointment.js'
import Location from '../models/location.js'
import {
  bookAppointmentValidator,
  cancelValidator,
  rescheduleValidator,
} from '../validators/appointment_validator.js'
import { book, cancel, close, parseInstant, reschedule } from '../services/booking.js'
import { appointmentResource } from '../services/appointment_resource.js'
import { appointmentIcs } from '../services/calendar.js'
import { readCommitted } from '../services/transient.js'

async function zones() {
  const locations = await Location.query().select('id', 'time_zone')
  return new Map(locations.map((location) => [location.id, location.timeZone]))
}

async function show(id: number) {
  const appointment = await Appointment.query().where('id', id).preload('services').first()
  if (!appointment) throw ApiError.notFound('Appointment')
  const zoneOf = await zones()
  const zone = zoneOf.get(appointment.locationId) ?? 'UTC'
  return single(appointmentResource(appointment, zone))
}

/* the change has committed: its answer is read back through a busy database */
const showCommitted = (id: number) => readCommitted(() => show(id))

async function mustExist(id: number) {
  if (!(await Appointment.find(id))) throw ApiError.notFound('Appointment')
}

/* Booking, changes and the appointment's .ics; the rules live in services/booking.ts. */
export default class AppointmentsController {
  async index(ctx: HttpContext) {
    const qs = ctx.request.qs()
    const query = Appointment.query()
    for (const [name, operator] of [
      ['from', '>='],
      ['to', '<'],
    ] as const) {
      if (qs[name] === undefined) continue
      const value = typeof qs[name] === 'string' ? qs[name] : ''
      let ms: number
      try {
        ms = parseInstant(value, name)
      } catch {
        const error = new ApiError(
          400,
          'INVALID_QUERY_PARAMETER',
          `"${name}" must be an ISO 8601 date and time`
        )
        error.parameter = name
        throw error
      }
      query.where('starts_ms', operator, ms)
    }
    const zoneOf = await zones()
    return paginate(
      ctx,
      query,
      {
        sortable: { startsAt: 'starts_ms', id: 'id', createdAt: 'created_at' },
        filterable: {
          status: 'status',
          staffId: 'staff_user_id',
          clientId: 'client_id',
          locationId: 'location_id',
          seriesId: 'series_id',
        },
        defaultSort: 'startsAt',
      },
      (row) => appointmentResource(row, zoneOf.get(row.locationId) ?? 'UTC')
    )
  }

  async show({ params }: HttpContext) {
    return show(params.id)
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, bookAppointmentValidator)
    if (input.serviceId !== undefined && input.serviceIds !== undefined)
      throw ApiError.validation('serviceIds', 'Give serviceId or serviceIds, not both')
    if (input.clientId !== undefined && input.client !== undefined)
      throw ApiError.validation('client', 'Give clientId or client, not both')
    if (input.clientId === undefined && input.client === undefined)
      throw ApiError.validation(
        'clientId',
        'Give clientId (an existing client) or client (a new one)'
      )
    const serviceIds =
      input.serviceIds ?? (input.serviceId !== undefined ? [input.serviceId] : undefined)
    if (!serviceIds) throw ApiError.validation('serviceId', 'Name the service (serviceId)')
    const booked = await book({ ...input, serviceIds })
    ctx.response.status(201)
    const first = await showCommitted(booked[0].id)
    if (booked.length === 1) return first
    const zone = first.data.attributes.timeZone as string
    return {
      ...first,
      meta: {
        seriesId: booked[0].seriesId,
        appointments: booked.map((row) => appointmentResource(row, zone)),
      },
    }
  }

  async reschedule(ctx: HttpContext) {
    await mustExist(ctx.params.id)
    const input = await validateAttributes(ctx, rescheduleValidator)
    await reschedule(ctx.params.id, input)
    return showCommitted(ctx.params.id)
  }

  async cancel(ctx: HttpContext) {
    await mustExist(ctx.params.id)
    const input = await validateAttributes(ctx, cancelValidator)
    await cancel(ctx.params.id, input)
    return showCommitted(ctx.params.id)
  }

  async noShow(ctx: HttpContext) {
    await mustExist(ctx.params.id)
    await close(ctx.params.id, 'no_show')
    return showCommitted(ctx.params.id)
  }

  async complete(ctx: HttpContext) {
    await mustExist(ctx.params.id)
    await close(ctx.params.id, 'completed')
    return showCommitted(ctx.params.id)
  }

  async ics({ params, response }: HttpContext) {
    const appointment = await Appointment.query().where('id', params.id).preload('services').first()
    if (!appointment) throw ApiError.notFound('Appointment')
    response.header('Content-Type', 'text/calendar; charset=utf-8')
    response.header(
      'Content-Disposition',
      `attachment; filename="appointment-${appointment.id}.ics"`
    )
    return appointmentIcs(appointment)
  }
}
