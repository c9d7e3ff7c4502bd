import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { ApiError, audit, paginate, single, validateAttributes } from '#plinth'
import DateOverride from '../models/date_override.js'
import TimeOff from '../models/time_off.js'
import {
  dateOverrideValidator,
  timeOffValidator,
  weeklyHoursValidator,
} from '../validators/schedule_validator.js'
import {
  addTimeOff,
  overrideResource,
  replaceWeeklyHours,
  saveOverride,
  staffMember,
  timeOffResource,
  weeklyHours,
} from '../services/schedule.js'
import { parseInstant } from '../services/booking.js'

const me = (ctx: HttpContext) => ctx.actor!.user.id

/* a staffId in a body: a team member (422 naming the field), the caller by default */
async function bodyStaff(ctx: HttpContext, staffId: number | undefined) {
  if (staffId === undefined) return me(ctx)
  try {
    return await staffMember(staffId)
  } catch {
    throw new ApiError(422, 'UNKNOWN_STAFF', `No team member with id ${staffId}`, {
      pointer: '/data/attributes/staffId',
    })
  }
}

/* Weekly hours and breaks, date overrides and time off of the staff. */
export default class ScheduleController {
  async showHours({ params }: HttpContext) {
    const userId = await staffMember(params.staffId)
    return {
      data: {
        type: 'salon-weekly-hours',
        id: String(userId),
        attributes: { hours: await weeklyHours(userId) },
      },
    }
  }

  async replaceHours(ctx: HttpContext) {
    const userId = await staffMember(ctx.params.staffId)
    const input = await validateAttributes(ctx, weeklyHoursValidator)
    const hours = await replaceWeeklyHours(userId, input)
    return { data: { type: 'salon-weekly-hours', id: String(userId), attributes: { hours } } }
  }

  async overrides(ctx: HttpContext) {
    return paginate(
      ctx,
      DateOverride.query(),
      {
        sortable: { date: 'date', id: 'id' },
        filterable: { staffId: 'user_id', date: 'date' },
        defaultSort: 'date',
      },
      overrideResource
    )
  }

  async storeOverride(ctx: HttpContext) {
    const input = await validateAttributes(ctx, dateOverrideValidator)
    const row = await saveOverride({ ...input, staffId: await bodyStaff(ctx, input.staffId) })
    ctx.response.status(201)
    return single(overrideResource(row))
  }

  async destroyOverride({ params }: HttpContext) {
    const row = await DateOverride.findOrFail(params.id)
    await db.transaction(async (trx) => {
      await row.useTransaction(trx).delete()
      await audit(
        { action: 'salon.override.deleted', subjectType: 'salon-override', subjectId: row.id },
        trx
      )
    })
    return single(overrideResource(row))
  }

  async timeOff(ctx: HttpContext) {
    return paginate(
      ctx,
      TimeOff.query(),
      {
        sortable: { startsAt: 'starts_ms', id: 'id' },
        filterable: { staffId: 'user_id' },
        defaultSort: 'startsAt',
      },
      timeOffResource
    )
  }

  async storeTimeOff(ctx: HttpContext) {
    const input = await validateAttributes(ctx, timeOffValidator)
    const staffId = await bodyStaff(ctx, input.staffId)
    const row = await addTimeOff({
      staffId,
      startsMs: parseInstant(input.startsAt, 'startsAt'),
      endsMs: parseInstant(input.endsAt, 'endsAt'),
      reason: input.reason,
    })
    ctx.response.status(201)
    return single(timeOffResource(row))
  }

  async showTimeOff({ params }: HttpContext) {
    return single(timeOffResource(await TimeOff.findOrFail(params.id)))
  }

  async destroyTimeOff({ params }: HttpContext) {
    const row = await TimeOff.findOrFail(params.id)
    await db.transaction(async (trx) => {
      await row.useTransaction(trx).delete()
      await audit(
        { action: 'salon.time_off.deleted', subjectType: 'salon-time-off', subjectId: row.id },
        trx
      )
    })
    return single(timeOffResource(row))
  }
}
