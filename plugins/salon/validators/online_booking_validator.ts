import vine from '@vinejs/vine'

const id = () => vine.number().withoutDecimals().positive()

/* GET /p/:tenant/salon/book/slots: one service, staff or any, a few local days */
export const onlineSlotsValidator = vine.compile(
  vine.object({
    serviceId: id(),
    staffId: id().optional(),
    locationId: id().optional(),
    /* a local date in the location's zone; default today */
    date: vine
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    days: vine.number().withoutDecimals().range([1, 14]).optional(),
  })
)

/* POST /p/:tenant/salon/book: what a client types on the public page */
export const onlineBookingValidator = vine.compile(
  vine.object({
    serviceId: id(),
    staffId: id().optional(),
    locationId: id().optional(),
    startsAt: vine.string().maxLength(40),
    name: vine.string().trim().minLength(1).maxLength(200),
    email: vine.string().trim().toLowerCase().email().maxLength(254).optional(),
    phone: vine
      .string()
      .trim()
      .regex(/^\+?[0-9 ().-]{6,30}$/)
      .optional(),
    notes: vine.string().trim().maxLength(1000).optional(),
    /* the honeypot: a field people never see; bots fill it */
    website: vine.string().maxLength(500).optional(),
  })
)
