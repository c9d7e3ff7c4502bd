import vine from '@vinejs/vine'

/* "09:00"; "24:00" closes at midnight */
export const clockTime = () => vine.string().regex(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/)
const weekday = () => vine.number().withoutDecimals().range([1, 7])
const amount = () => vine.string().regex(/^(0|[1-9][0-9]{0,17})$/)
/* currency code -> minor units, e.g. { "EUR": "2500" } */
const priceList = () =>
  vine.record(amount()).use(
    vine.createRule((value, _options, field) => {
      for (const key of Object.keys(value as object))
        if (!/^[A-Z]{3}$/.test(key))
          field.report(`"${key}" is not an ISO 4217 currency code`, 'currency', field)
    })()
  )

const openingHours = () =>
  vine
    .array(vine.object({ weekday: weekday(), opens: clockTime(), closes: clockTime() }))
    .maxLength(50)

/* the zone is checked against the IANA database by the controller (422 naming the field) */
export const createLocationValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200),
    timeZone: vine.string().trim().maxLength(64),
    openingHours: openingHours().optional(),
  })
)

export const updateLocationValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200).optional(),
    timeZone: vine.string().trim().maxLength(64).optional(),
    openingHours: openingHours().optional(),
  })
)

export const createResourceValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200),
    capacity: vine.number().withoutDecimals().range([1, 1000]).optional(),
    locationId: vine.number().withoutDecimals().positive().nullable().optional(),
  })
)

export const updateResourceValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200).optional(),
    capacity: vine.number().withoutDecimals().range([1, 1000]).optional(),
    locationId: vine.number().withoutDecimals().positive().nullable().optional(),
  })
)

const serviceFields = {
  description: vine.string().trim().maxLength(2000).nullable().optional(),
  bufferBeforeMinutes: vine.number().withoutDecimals().range([0, 240]).optional(),
  bufferAfterMinutes: vine.number().withoutDecimals().range([0, 240]).optional(),
  deposits: priceList().optional(),
  staffIds: vine.array(vine.number().withoutDecimals().positive()).maxLength(200).optional(),
  resourceIds: vine.array(vine.number().withoutDecimals().positive()).maxLength(20).optional(),
  active: vine.boolean().optional(),
}

export const createServiceValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200),
    durationMinutes: vine.number().withoutDecimals().range([5, 720]),
    prices: priceList(),
    ...serviceFields,
  })
)

export const updateServiceValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200).optional(),
    durationMinutes: vine.number().withoutDecimals().range([5, 720]).optional(),
    prices: priceList().optional(),
    ...serviceFields,
  })
)
