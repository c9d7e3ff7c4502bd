import { test } from '@japa/runner'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import db from '@adonisjs/lucid/services/db'
import { signup, unique } from '#tests/helpers'
import { events } from '#events/events'
import { EventRelay } from '#events/relay'
import { RETRY_DELAYS_MS, WebhookDispatcher } from '#webhooks/dispatcher'
import { verifyWebhookSignature } from '#webhooks/signature'
import { targetPolicy } from '#webhooks/target_guard'

type Received = { headers: IncomingHttpHeaders; body: string }

/* A real HTTP receiver on 127.0.0.1 answering with the statuses it is told to. */
async function receiver(statuses: number[] = [200]) {
  const received: Received[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() })
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0]
      if (status === 0) return // never answers: the sender must time out
      response.writeHead(status).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/hooks/plinth`,
    received,
    statuses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function defineEvent() {
  const name = `t${unique()}.invoice.paid`
  events.define({
    name,
    version: 1,
    schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer' } } },
  })
  return name
}

async function createWebhook(client: any, token: string, url: string, patterns: string[]) {
  const response = await client
    .post('/api/v1/webhooks')
    .bearerToken(token)
    .json({ data: { attributes: { url, events: patterns } } })
  response.assertStatus(201)
  return { id: response.body().data.id as string, secret: response.body().data.attributes.secret }
}

const deliveriesOf = async (client: any, token: string, webhookId: string, query = '') => {
  const response = await client
    .get(`/api/v1/webhooks/${webhookId}/deliveries${query}`)
    .bearerToken(token)
  response.assertStatus(200)
  return response.body()
}

test.group('Webhook deliveries', (group) => {
  const closers: (() => Promise<void>)[] = []
  group.each.teardown(async () => {
    targetPolicy.allowPrivate = true
    while (closers.length) await closers.pop()!()
  })

  test('an event reaches a real receiver, signed; the delivery and its attempt are listed', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const other = await signup(client)
    const target = await receiver([200])
    closers.push(target.close)
    const name = defineEvent()
    const { id, secret } = await createWebhook(client, owner.token, target.url, [
      name.replace('.paid', '.*'),
    ])
    // another tenant's webhook on the same pattern gets nothing of this tenant's events
    const foreign = await receiver([200])
    closers.push(foreign.close)
    await createWebhook(client, other.token, foreign.url, ['*'])

    const event = await db.transaction((trx) =>
      events.publish(
        {
          name,
          tenantId: Number(owner.tenantId),
          aggregate: { type: 'invoice', id: 42 },
          payload: { amount: 1250 },
        },
        trx
      )
    )
    await new EventRelay().drain()
    await new WebhookDispatcher().drain()

    assert.lengthOf(target.received, 1)
    assert.lengthOf(foreign.received, 0)
    const [request] = target.received
    assert.equal(request.headers['plinth-event-id'], event.id)
    assert.equal(request.headers['plinth-event'], name)
    assert.equal(request.headers['content-type'], 'application/json')
    const timestamp = request.headers['plinth-timestamp'] as string
    const signature = request.headers['plinth-signature'] as string
    assert.isTrue(verifyWebhookSignature(secret, timestamp, request.body, signature))
    assert.isFalse(
      verifyWebhookSignature('another-secret-value', timestamp, request.body, signature)
    )
    assert.isFalse(verifyWebhookSignature(secret, timestamp, `${request.body} `, signature))
    const body = JSON.parse(request.body)
    assert.deepInclude(body, { id: event.id, type: name, version: 1, data: { amount: 1250 } })
    assert.deepEqual(body.aggregate, { type: 'invoice', id: '42' })

    const list = await deliveriesOf(client, owner.token, id)
    assert.lengthOf(list.data, 1)
    const delivery = list.data[0].attributes
    assert.equal(delivery.status, 'succeeded')
    assert.equal(delivery.responseCode, 200)
    assert.equal(delivery.eventId, event.id)
    assert.lengthOf(delivery.attemptLog, 1)
    assert.equal(delivery.attemptLog[0].responseCode, 200)
    assert.isAtLeast(delivery.attemptLog[0].durationMs, 0)

    // a relay re-run (at least once) adds no second delivery
    await db.from('event_outbox').where('event_id', event.id).update({ status: 'pending' })
    await db
      .from('event_subscriber_receipts')
      .whereIn('outbox_id', db.from('event_outbox').where('event_id', event.id).select('id'))
      .delete()
    await new EventRelay().drain()
    await new WebhookDispatcher().drain()
    assert.lengthOf(target.received, 1)
  }).timeout(30_000)

  test('retries at 1 min, 5 min, 15 min, 1 h, 6 h, then dead-letter; redeliver starts again', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const target = await receiver([500])
    closers.push(target.close)
    const name = defineEvent()
    const { id } = await createWebhook(client, owner.token, target.url, [name])
    await events.publish({
      name,
      tenantId: Number(owner.tenantId),
      aggregate: { type: 'invoice', id: 1 },
      payload: { amount: 1 },
    })
    await new EventRelay().drain()

    let now = Date.now() + 1000
    const dispatcher = new WebhookDispatcher({ now: () => now })
    const scheduled: number[] = []
    for (let attempt = 1; attempt <= 6; attempt++) {
      await dispatcher.drain()
      assert.lengthOf(target.received, attempt)
      const [row] = (await deliveriesOf(client, owner.token, id)).data
      assert.equal(row.attributes.attempts, attempt)
      assert.equal(row.attributes.responseCode, 500)
      if (attempt < 6) {
        assert.equal(row.attributes.status, 'retrying')
        const next = Date.parse(row.attributes.nextAttemptAt)
        scheduled.push(next - now)
        // not a moment early
        now = next - 1
        await dispatcher.drain()
        assert.lengthOf(target.received, attempt)
        now = next
      } else {
        assert.equal(row.attributes.status, 'dead')
        assert.isNotNull(row.attributes.deadLetteredAt)
        assert.isNull(row.attributes.nextAttemptAt)
      }
    }
    assert.deepEqual(scheduled, RETRY_DELAYS_MS)
    assert.deepEqual(scheduled, [60_000, 300_000, 900_000, 3_600_000, 21_600_000])
    now += 7 * 3_600_000
    await dispatcher.drain()
    assert.lengthOf(target.received, 6)

    const dead = await deliveriesOf(client, owner.token, id, '?filter[status]=dead')
    assert.lengthOf(dead.data, 1)
    assert.lengthOf(dead.data[0].attributes.attemptLog, 6)
    assert.lengthOf(
      (await deliveriesOf(client, owner.token, id, '?filter[status]=succeeded')).data,
      0
    )

    // the receiver is fixed; an operator redelivers
    target.statuses.splice(0, target.statuses.length, 204)
    const redelivered = await client
      .post(`/api/v1/webhook-deliveries/${dead.data[0].id}/redeliver`)
      .bearerToken(owner.token)
    redelivered.assertStatus(202)
    assert.equal(redelivered.body().data.attributes.status, 'pending')
    assert.exists(
      await db
        .from('audit_logs')
        .where({ action: 'webhook.delivery.redelivered', subject_id: dead.data[0].id })
        .first()
    )
    await dispatcher.drain()
    assert.lengthOf(target.received, 7)
    const [done] = (await deliveriesOf(client, owner.token, id)).data
    assert.equal(done.attributes.status, 'succeeded')
    assert.equal(done.attributes.responseCode, 204)
    assert.lengthOf(done.attributes.attemptLog, 7)

    // another tenant cannot redeliver it
    const stranger = await signup(client)
    ;(
      await client
        .post(`/api/v1/webhook-deliveries/${dead.data[0].id}/redeliver`)
        .bearerToken(stranger.token)
    ).assertStatus(404)
  }).timeout(30_000)

  test('a receiver that never answers times out and is retried', async ({ client, assert }) => {
    const owner = await signup(client)
    const target = await receiver([0])
    closers.push(target.close)
    const name = defineEvent()
    const { id } = await createWebhook(client, owner.token, target.url, [name])
    await events.publish({
      name,
      tenantId: Number(owner.tenantId),
      aggregate: { type: 'invoice', id: 1 },
      payload: { amount: 1 },
    })
    await new EventRelay().drain()
    await new WebhookDispatcher({ timeoutMs: 300 }).drain()
    const [row] = (await deliveriesOf(client, owner.token, id)).data
    assert.equal(row.attributes.status, 'retrying')
    assert.isNull(row.attributes.responseCode)
    assert.include(row.attributes.error, 'timed out')
  }).timeout(30_000)

  test('delivery-time SSRF guard: a private target is refused and nothing is sent', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const target = await receiver([200])
    closers.push(target.close)
    const name = defineEvent()
    const { id } = await createWebhook(client, owner.token, target.url, [name])
    await events.publish({
      name,
      tenantId: Number(owner.tenantId),
      aggregate: { type: 'invoice', id: 1 },
      payload: { amount: 1 },
    })
    await new EventRelay().drain()
    targetPolicy.allowPrivate = false
    await new WebhookDispatcher().drain()
    assert.lengthOf(target.received, 0)
    const [row] = (await deliveriesOf(client, owner.token, id)).data
    assert.equal(row.attributes.status, 'retrying')
    assert.include(row.attributes.error, '127.0.0.1')
  }).timeout(30_000)

  test('ping sends kernel.webhook.ping to that webhook only', async ({ client, assert }) => {
    const owner = await signup(client)
    const pinged = await receiver([200])
    const bystander = await receiver([200])
    closers.push(pinged.close, bystander.close)
    const { id, secret } = await createWebhook(client, owner.token, pinged.url, ['kernel.*'])
    await createWebhook(client, owner.token, bystander.url, ['*'])
    const response = await client.post(`/api/v1/webhooks/${id}/ping`).bearerToken(owner.token)
    response.assertStatus(202)
    await new EventRelay().drain()
    await new WebhookDispatcher().drain()
    assert.lengthOf(pinged.received, 1)
    assert.lengthOf(bystander.received, 0)
    const [request] = pinged.received
    assert.equal(request.headers['plinth-event'], 'kernel.webhook.ping')
    assert.equal(JSON.parse(request.body).data.webhookId, Number(id))
    assert.isTrue(
      verifyWebhookSignature(
        secret,
        request.headers['plinth-timestamp'] as string,
        request.body,
        request.headers['plinth-signature'] as string
      )
    )
  }).timeout(30_000)
})
