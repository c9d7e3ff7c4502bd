import { resource } from '#http/envelope'
import type Webhook from '#webhooks/models/webhook'
import type WebhookDelivery from '#webhooks/models/webhook_delivery'

const iso = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString())

export function webhookResource(webhook: Webhook, extra: Record<string, unknown> = {}) {
  return resource('webhook', webhook.id, {
    url: webhook.url,
    description: webhook.description,
    events: webhook.events,
    active: webhook.active,
    secret: webhook.secretHint,
    createdAt: webhook.createdAt?.toISO() ?? null,
    updatedAt: webhook.updatedAt?.toISO() ?? null,
    ...extra,
  })
}

export function deliveryResource(delivery: WebhookDelivery) {
  const log = delivery.$preloaded.attemptLog ? delivery.attemptLog : []
  return resource('webhook-delivery', delivery.id, {
    webhookId: String(delivery.webhookId),
    eventId: delivery.eventId,
    event: delivery.eventName,
    status: delivery.status,
    attempts: delivery.attempts,
    responseCode: delivery.responseCode,
    durationMs: delivery.durationMs,
    error: delivery.error,
    nextAttemptAt:
      delivery.status === 'retrying' || delivery.status === 'pending'
        ? iso(delivery.nextAttemptAt)
        : null,
    deliveredAt: iso(delivery.deliveredAt),
    deadLetteredAt: iso(delivery.deadLetteredAt),
    createdAt: delivery.createdAt?.toISO() ?? null,
    attemptLog: log.map((attempt) => ({
      attempt: attempt.attempt,
      status: attempt.status,
      responseCode: attempt.responseCode,
      durationMs: attempt.durationMs,
      error: attempt.error,
      attemptedAt: iso(attempt.attemptedAt),
    })),
  })
}
