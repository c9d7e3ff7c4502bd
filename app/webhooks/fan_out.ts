import db from '@adonisjs/lucid/services/db'
import { compilePattern, events, type DomainEvent } from '#events/events'
import Webhook from '#webhooks/models/webhook'
import { timestampNow, webhookDispatcher } from '#webhooks/dispatcher'

export const PING_EVENT = 'kernel.webhook.ping'

events.define({
  name: PING_EVENT,
  version: 1,
  description: 'A test event sent to one webhook on request',
  schema: {
    type: 'object',
    required: ['webhookId'],
    properties: { webhookId: { type: 'integer' } },
    additionalProperties: false,
  },
})

/* The JSON body every receiver gets; signed as-is. */
export function webhookBody(event: DomainEvent) {
  return JSON.stringify({
    id: event.id,
    type: event.name,
    version: event.version,
    occurredAt: event.occurredAt.toISOString(),
    tenantId: event.tenantId,
    aggregate: event.aggregate,
    data: event.payload,
  })
}

/*
 * Kernel subscriber: turns each event into one delivery per matching active
 * webhook of the event's tenant (runs in that tenant's context). A re-run
 * (at-least-once relay) adds nothing twice: (webhook, event) is unique.
 */
export async function fanOutToWebhooks(event: DomainEvent) {
  if (event.tenantId === null) return
  const query = Webhook.query().where('active', true)
  // a ping goes to the one webhook it was asked for
  if (event.name === PING_EVENT) query.where('id', event.payload.webhookId)
  const active = await query
  const webhooks = active.filter((webhook) =>
    webhook.events.some((pattern) => compilePattern(pattern)(event.name))
  )
  if (webhooks.length === 0) return
  const body = webhookBody(event)
  const now = timestampNow()
  await db
    .insertQuery()
    .table('webhook_deliveries')
    .multiInsert(
      webhooks.map((webhook) => ({
        tenant_id: event.tenantId,
        webhook_id: webhook.id,
        event_id: event.id,
        event_name: event.name,
        body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: Date.now(),
        locked_until: 0,
        created_at: now,
        updated_at: now,
      }))
    )
    .knexQuery.onConflict(['webhook_id', 'event_id'])
    .ignore()
  webhookDispatcher.nudge()
}

events.subscribe('*', fanOutToWebhooks, { name: 'kernel.webhooks.fan-out', owner: 'kernel' })
