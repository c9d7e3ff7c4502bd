import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import {
  ApiError,
  audit,
  isTeamMember,
  paginate,
  resource,
  single,
  validateAttributes,
} from '#plinth'
import WaitlistEntry from '../models/waitlist_entry.js'
import Service from '../models/service.js'
import { waitlistValidator } from '../validators/appointment_validator.js'
import { parseInstant } from '../services/booking.js'
import { findClient } from '../../crm/public.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

const entryResource = (entry: WaitlistEntry) =>
  resource('salon-waitlist-entry', entry.id, {
    clientId: entry.clientId,
    serviceId: entry.serviceId,
    staffId: entry.staffUserId,
    from: iso(entry.windowStartsMs),
    to: iso(entry.windowEndsMs),
    status: entry.status,
    offer:
      entry.status === 'offered'
        ? {
            startsAt: iso(entry.offeredStartsMs),
            staffId: entry.offeredStaffUserId,
            freedByAppointmentId: entry.offeredFromAppointmentId,
          }
        : null,
    createdAt: entry.createdAt.toISO(),
  })

/* The waitlist: clients waiting for a time; freed slots are offered in order (services/waitlist.ts). */
export default class WaitlistController {
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      WaitlistEntry.query(),
      {
        sortable: { id: 'id', createdAt: 'created_at' },
        filterable: { status: 'status', serviceId: 'service_id', clientId: 'client_id' },
        defaultSort: 'id',
      },
      entryResource
    )
  }

  async show({ params }: HttpContext) {
    return single(entryResource(await WaitlistEntry.findOrFail(params.id)))
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, waitlistValidator)
    const fail = (field: string, code: string, detail: string) =>
      new ApiError(422, code, detail, { pointer: `/data/attributes/${field}` })
    const client = await findClient(input.clientId)
    if (!client || client.erased) throw fail('clientId', 'UNKNOWN_CLIENT', 'No such client')
    if (!(await Service.find(input.serviceId)))
      throw fail('serviceId', 'UNKNOWN_SERVICE', 'No such service')
    if (input.staffId !== undefined && !(await isTeamMember(input.staffId)))
      throw fail('staffId', 'UNKNOWN_STAFF', 'No such team member')
    const fromMs = parseInstant(input.from, 'from')
    const toMs = parseInstant(input.to, 'to')
    if (toMs <= fromMs) throw fail('to', 'VALIDATION_ERROR', '"to" must be after "from"')
    const entry = await db.transaction(async (trx) => {
      const created = await WaitlistEntry.create(
        {
          clientId: client.id,
          serviceId: input.serviceId,
          staffUserId: input.staffId ?? null,
          windowStartsMs: fromMs,
          windowEndsMs: toMs,
          status: 'waiting',
          offeredStartsMs: null,
          offeredStaffUserId: null,
          offeredFromAppointmentId: null,
        },
        { client: trx }
      )
      await audit(
        {
          action: 'salon.waitlist.created',
          subjectType: 'salon-waitlist-entry',
          subjectId: created.id,
        },
        trx
      )
      return created
    })
    ctx.response.status(201)
    return single(entryResource(entry))
  }

  async close({ params }: HttpContext) {
    const entry = await WaitlistEntry.findOrFail(params.id)
    await db.transaction(async (trx) => {
      entry.status = 'closed'
      await entry.useTransaction(trx).save()
      await audit(
        {
          action: 'salon.waitlist.closed',
          subjectType: 'salon-waitlist-entry',
          subjectId: entry.id,
        },
        trx
      )
    })
    return single(entryResource(entry))
  }
}
