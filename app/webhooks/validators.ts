import vine from '@vinejs/vine'
import { isValidPattern } from '#events/events'
import { urlProblem } from '#webhooks/target_guard'

/* http(s) only, and (unless private targets are allowed) not a private or loopback address. */
const webhookTarget = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const problem = urlProblem(value)
  if (problem) field.report(problem, 'webhookTarget', field)
})

const eventPattern = vine.createRule((value, _options, field) => {
  if (typeof value === 'string' && !isValidPattern(value)) {
    field.report(
      `"${value}" is not an event pattern: dot-separated lower-case names or *, e.g. "ledger.entry.*" or "*"`,
      'eventPattern',
      field
    )
  }
})

const url = () => vine.string().trim().minLength(1).maxLength(2048).use(webhookTarget())
const patterns = () =>
  vine.array(vine.string().trim().use(eventPattern())).minLength(1).maxLength(50).distinct()
const secret = () => vine.string().minLength(16).maxLength(200)
const description = () => vine.string().trim().maxLength(200)

export const createWebhookValidator = vine.compile(
  vine.object({
    url: url(),
    events: patterns(),
    /* generated when omitted; shown once in the create answer */
    secret: secret().optional(),
    description: description().optional(),
    active: vine.boolean().optional(),
  })
)

export const updateWebhookValidator = vine.compile(
  vine.object({
    url: url().optional(),
    events: patterns().optional(),
    /* a new secret replaces the old one at once */
    secret: secret().optional(),
    description: description().nullable().optional(),
    active: vine.boolean().optional(),
  })
)
