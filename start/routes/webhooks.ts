/*
 * Webhooks, under /api/v1. Deliveries are signed: see the "Webhooks" tag
 * description in the OpenAPI document and the README.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idParam } from '#http/openapi/route_docs'
import { throttleApi } from '#start/limiter'
import { createWebhookValidator, updateWebhookValidator } from '#webhooks/validators'

const WebhooksController = () => import('#webhooks/controllers/webhooks_controller')

const SIGNING =
  'Each delivery is a POST of the JSON event ({id, type, version, occurredAt, tenantId, aggregate, data}) with headers Plinth-Event-Id, Plinth-Event, Plinth-Delivery-Id, Plinth-Timestamp (unix seconds) and Plinth-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>. Verify over the raw body in constant time and refuse timestamps older than your replay window (e.g. 5 min). A 2xx answer within 10 s is success; anything else is retried after 1 min, 5 min, 15 min, 1 h and 6 h, then dead-lettered.'

router
  .group(() => {
    router.get('/webhooks', [WebhooksController, 'index']).as('webhooks.index').describe({
      summary: 'List webhooks',
      tag: 'Webhooks',
      resource: 'webhook',
      list: true,
      permission: 'webhooks.read',
    })
    router
      .post('/webhooks', [WebhooksController, 'store'])
      .as('webhooks.store')
      .describe({
        summary: `Create a webhook; the signing secret is returned once. ${SIGNING}`,
        tag: 'Webhooks',
        body: createWebhookValidator,
        resource: 'webhook',
        permission: 'webhooks.write',
        status: 201,
      })
    router
      .get('/webhooks/:id', [WebhooksController, 'show'])
      .as('webhooks.show')
      .where('id', idParam)
      .describe({
        summary: 'Show a webhook (secret masked)',
        tag: 'Webhooks',
        resource: 'webhook',
        permission: 'webhooks.read',
      })
    router
      .patch('/webhooks/:id', [WebhooksController, 'update'])
      .as('webhooks.update')
      .where('id', idParam)
      .describe({
        summary: 'Change a webhook (url, events, active, description, or a new secret)',
        tag: 'Webhooks',
        body: updateWebhookValidator,
        resource: 'webhook',
        permission: 'webhooks.write',
      })
    router
      .delete('/webhooks/:id', [WebhooksController, 'destroy'])
      .as('webhooks.destroy')
      .where('id', idParam)
      .describe({
        summary: 'Delete a webhook and its pending deliveries',
        tag: 'Webhooks',
        permission: 'webhooks.write',
        status: 204,
      })
    router
      .get('/webhooks/:id/deliveries', [WebhooksController, 'deliveries'])
      .as('webhooks.deliveries')
      .where('id', idParam)
      .describe({
        summary:
          'Deliveries of a webhook with their attempts (status, response code, duration, error); filter[status]=pending|retrying|succeeded|dead',
        tag: 'Webhooks',
        resource: 'webhook-delivery',
        list: true,
        permission: 'webhooks.read',
      })
    router
      .post('/webhooks/:id/ping', [WebhooksController, 'ping'])
      .as('webhooks.ping')
      .where('id', idParam)
      .describe({
        summary: 'Send a kernel.webhook.ping test event to this webhook',
        tag: 'Webhooks',
        resource: 'event',
        permission: 'webhooks.write',
        status: 202,
      })
    router
      .post('/webhook-deliveries/:id/redeliver', [WebhooksController, 'redeliver'])
      .as('webhook_deliveries.redeliver')
      .where('id', idParam)
      .describe({
        summary: 'Send a delivery again now, with a fresh round of retries',
        tag: 'Webhooks',
        resource: 'webhook-delivery',
        permission: 'webhooks.write',
        status: 202,
      })
  })
  .prefix('/api/v1')
  .as('api')
  .use([middleware.apiAuth(), throttleApi])
