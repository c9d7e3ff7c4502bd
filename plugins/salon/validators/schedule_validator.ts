import vine from '@vinejs/vine'
import { clockTime } from './catalog_validator.js'

const interval = () => vine.object({ starts: clockTime(), ends: clockTime() })

/* the whole weekly schedule of a staff member, replacing the previous one */
export const weeklyHoursValidator = vine.compile(
  vine.object({
    hours: vine
      .array(
        vine.object({
          locationId: vine.number().withoutDecimals().positive().optional(),
          weekday: vine.number().withoutDecimals().range([1, 7]),
          starts: clockTime(),
          ends: clockTime(),
          breaks: vine.array(interval()).maxLength(10).optional(),
        })
      )
      .maxLength(100),
  })
)

export const dateOverrideValidator = vine.compile(
  vine.object({
    staffId: vine.number().withoutDecimals().positive().optional(),
    locationId: vine.number().withoutDecimals().positive().optional(),
    date: vine.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /* empty: a day off */
    intervals: vine.array(interval()).maxLength(10),
  })
)

export const timeOffValidator = vine.compile(
  vine.object({
    staffId: vine.number().withoutDecimals().positive().optional(),
    startsAt: vine.string().maxLength(40),
    endsAt: vine.string().maxLength(40),
    reason: vine.string().trim().maxLength(200).nullable().optional(),
  })
)
