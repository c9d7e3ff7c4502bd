import vine from '@vinejs/vine'

const label = vine.string().trim().maxLength(40).optional()

const email = vine.object({
  email: vine.string().trim().toLowerCase().email().maxLength(254),
  label,
})

/* normalised to E.164 by the service (needs the tenant's default country without "+") */
const phone = vine.object({
  number: vine.string().trim().minLength(3).maxLength(40),
  label,
})

const address = vine.object({
  label,
  line1: vine.string().trim().minLength(1).maxLength(200),
  line2: vine.string().trim().maxLength(200).nullable().optional(),
  city: vine.string().trim().maxLength(100).nullable().optional(),
  region: vine.string().trim().maxLength(100).nullable().optional(),
  postalCode: vine.string().trim().maxLength(20).nullable().optional(),
  country: vine
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/)
    .nullable()
    .optional(),
})

const contact = vine.object({
  name: vine.string().trim().minLength(1).maxLength(200),
  role: vine.string().trim().maxLength(100).nullable().optional(),
  email: vine.string().trim().toLowerCase().email().maxLength(254).nullable().optional(),
  phone: vine.string().trim().minLength(3).maxLength(40).nullable().optional(),
})

const lists = {
  companyName: vine.string().trim().maxLength(200).nullable().optional(),
  ownerId: vine.number().withoutDecimals().positive().nullable().optional(),
  emails: vine.array(email).maxLength(20).optional(),
  phones: vine.array(phone).maxLength(20).optional(),
  addresses: vine.array(address).maxLength(20).optional(),
  contacts: vine.array(contact).maxLength(100).optional(),
  tags: vine.array(vine.string().trim().minLength(1).maxLength(50)).maxLength(50).optional(),
  customFields: vine.record(vine.any()).optional(),
}

export const createClientValidator = vine.compile(
  vine.object({
    kind: vine.enum(['company', 'person'] as const),
    name: vine.string().trim().minLength(1).maxLength(200),
    status: vine.enum(['active', 'archived'] as const).optional(),
    ...lists,
  })
)

/* A list given replaces the client's list; one left out is kept. */
export const updateClientValidator = vine.compile(
  vine.object({
    kind: vine.enum(['company', 'person'] as const).optional(),
    name: vine.string().trim().minLength(1).maxLength(200).optional(),
    status: vine.enum(['active', 'archived'] as const).optional(),
    ...lists,
  })
)

export const createNoteValidator = vine.compile(
  vine.object({
    body: vine.string().trim().minLength(1).maxLength(10_000),
  })
)

/*
 * CSV import as JSON (small files; large ones are uploaded as multipart/form-data
 * with the same fields, "file" instead of "csv"): the file as text and which
 * column fills which field. With `preview: true` nothing is written: the answer
 * shows the mapping (suggested when left out), sample rows and the errors of
 * the first rows.
 */
export const importValidator = vine.compile(
  vine.object({
    csv: vine.string().minLength(1).maxLength(100_000),
    mapping: vine.record(vine.string().minLength(1).maxLength(200)).optional(),
    preview: vine.boolean().optional(),
  })
)
