import vine from '@vinejs/vine'

const id = () => vine.number().withoutDecimals().positive()

export const bookAppointmentValidator = vine.compile(
  vine.object({
    clientId: id().optional(),
    /* a new client, created in the CRM with the booking */
    client: vine
      .object({
        name: vine.string().trim().minLength(1).maxLength(200),
        email: vine.string().trim().toLowerCase().email().maxLength(254).optional(),
        phone: vine.string().trim().minLength(3).maxLength(40).optional(),
      })
      .optional(),
    /* one service, or several done one after the other */
    serviceId: id().optional(),
    serviceIds: vine.array(id()).minLength(1).maxLength(10).optional(),
    staffId: id().optional(),
    locationId: id().optional(),
    startsAt: vine.string().maxLength(40),
    endsAt: vine.string().maxLength(40).optional(),
    currency: vine
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    notes: vine.string().trim().maxLength(2000).nullable().optional(),
    /* every N weeks, K times in all, booked all-or-nothing */
    recurrence: vine
      .object({
        everyWeeks: vine.number().withoutDecimals().range([1, 52]),
        count: vine.number().withoutDecimals().range([2, 52]),
      })
      .optional(),
  })
)

export const rescheduleValidator = vine.compile(
  vine.object({
    startsAt: vine.string().maxLength(40),
    staffId: id().optional(),
    locationId: id().optional(),
  })
)

export const cancelValidator = vine.compile(
  vine.object({
    reason: vine.string().trim().maxLength(500).nullable().optional(),
  })
)

export const waitlistValidator = vine.compile(
  vine.object({
    clientId: id(),
    serviceId: id(),
    staffId: id().optional(),
    from: vine.string().maxLength(40),
    to: vine.string().maxLength(40),
  })
)

export const calendarFeedValidator = vine.compile(
  vine.object({
    staffId: id().optional(),
  })
)
