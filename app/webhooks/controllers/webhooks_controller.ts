import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { audit } from '#audit/audit_log'
import { single, validateAttributes } from '#http/envelope'
import { paginate } from '#http/list_query'
import { events } from '#events/events'
import Webhook from '#webhooks/models/webhook'
import WebhookDelivery from '#webhooks/models/webhook_delivery'
import { createWebhookValidator, updateWebhookValidator } from '#webhooks/validators'
import { encryptSecret, generateSecret, secretHint } from '#webhooks/secrets'
import { deliveryResource, webhookResource } from '#webhooks/resources'
import { PING_EVENT } from '#webhooks/fan_out'
import { webhookDispatcher } from '#webhooks/dispatcher'

export default class WebhooksController {
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      Webhook.query(),
      {
        sortable: { id: 'id', url: 'url', createdAt: 'created_at' },
        filterable: { active: { column: 'active', type: 'boolean' } },
        searchable: ['url', 'description'],
        defaultSort: 'id',
      },
      (webhook) => webhookResource(webhook)
    )
  }

  async show({ params }: HttpContext) {
    return single(webhookResource(await Webhook.findOrFail(params.id)))
  }

  /* The secret is in this answer only; afterwards it is masked. */
  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createWebhookValidator)
    const secret = input.secret ?? generateSecret()
    const webhook = await db.transaction(async (trx) => {
      const created = await Webhook.create(
        {
          url: input.url,
          events: input.events,
          description: input.description ?? null,
          active: input.active ?? true,
          secret: encryptSecret(secret),
          secretHint: secretHint(secret),
        },
        { client: trx }
      )
      await audit(
        {
          action: 'webhook.created',
          subjectType: 'webhook',
          subjectId: created.id,
          meta: { url: created.url, events: created.events, active: created.active },
        },
        trx
      )
      return created
    })
    ctx.response.status(201)
    return single(webhookResource(webhook, { secret }))
  }

  async update(ctx: HttpContext) {
    const webhook = await Webhook.findOrFail(ctx.params.id)
    const input = await validateAttributes(ctx, updateWebhookValidator)
    const before = { url: webhook.url, events: webhook.events, active: webhook.active }
    const { secret, ...changes } = input
    webhook.merge(changes)
    if (secret) webhook.merge({ secret: encryptSecret(secret), secretHint: secretHint(secret) })
    await db.transaction(async (trx) => {
      webhook.useTransaction(trx)
      await webhook.save()
      await audit(
        {
          action: 'webhook.updated',
          subjectType: 'webhook',
          subjectId: webhook.id,
          meta: { before, after: changes, secretRotated: Boolean(secret) },
        },
        trx
      )
    })
    return single(webhookResource(webhook))
  }

  async destroy(ctx: HttpContext) {
    const webhook = await Webhook.findOrFail(ctx.params.id)
    await db.transaction(async (trx) => {
      webhook.useTransaction(trx)
      await webhook.delete()
      await audit(
        {
          action: 'webhook.deleted',
          subjectType: 'webhook',
          subjectId: webhook.id,
          meta: { url: webhook.url, events: webhook.events },
        },
        trx
      )
    })
    return ctx.response.noContent()
  }

  async deliveries(ctx: HttpContext) {
    const webhook = await Webhook.findOrFail(ctx.params.id)
    return paginate(
      ctx,
      WebhookDelivery.query()
        .where('webhook_id', webhook.id)
        .preload('attemptLog', (attempts) => attempts.orderBy('id', 'asc')),
      {
        sortable: { id: 'id', createdAt: 'created_at' },
        filterable: { status: 'status', event: 'event_name' },
        defaultSort: '-id',
      },
      deliveryResource
    )
  }

  /* Sends a kernel.webhook.ping event to this webhook (through the outbox, like any event). */
  async ping(ctx: HttpContext) {
    const webhook = await Webhook.findOrFail(ctx.params.id)
    const event = await events.publish({
      name: PING_EVENT,
      tenantId: webhook.tenantId,
      aggregate: { type: 'webhook', id: webhook.id },
      payload: { webhookId: webhook.id },
    })
    ctx.response.status(202)
    return single({ type: 'event', id: event.id, attributes: { name: event.name } })
  }

  /* Queues a delivery again now, for a fresh round of attempts (the attempt log is kept). */
  async redeliver(ctx: HttpContext) {
    const delivery = await WebhookDelivery.findOrFail(ctx.params.id)
    await db.transaction(async (trx) => {
      delivery.useTransaction(trx)
      delivery.merge({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: Date.now(),
        deadLetteredAt: null,
      })
      await delivery.save()
      // a send in flight no longer owns the row: its outcome cannot overwrite this new round
      await trx
        .from('webhook_deliveries')
        .where('id', delivery.id)
        .update({ locked_until: 0, locked_by: null })
      await audit(
        {
          action: 'webhook.delivery.redelivered',
          subjectType: 'webhook-delivery',
          subjectId: delivery.id,
          meta: { webhookId: delivery.webhookId, eventId: delivery.eventId },
        },
        trx
      )
    })
    webhookDispatcher.nudge()
    await delivery.load('attemptLog', (attempts) => attempts.orderBy('id', 'asc'))
    ctx.response.status(202)
    return single(deliveryResource(delivery))
  }
}
