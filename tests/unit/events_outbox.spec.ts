import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import vine from '@vinejs/vine'
import Tenant from '#models/tenant'
import {
  compilePattern,
  events,
  EventPayloadError,
  UnknownEventError,
  type DomainEvent,
} from '#events/events'
import { EventRelay } from '#events/relay'
import { tenantContext } from '#tenancy/tenant_context'
import { unique } from '#tests/helpers'

/* A fresh event name per test, so other tests' events and subscribers never mix in. */
function defineOrderEvent() {
  const name = `t${unique()}.order.placed`
  events.define({
    name,
    version: 1,
    schema: {
      type: 'object',
      required: ['total'],
      properties: { total: { type: 'integer', minimum: 0 } },
      additionalProperties: false,
    },
  })
  return name
}

const outboxRow = (eventId: string) => db.from('event_outbox').where('event_id', eventId).first()

/* Subscribes for the test's duration; the group teardown removes it. */
const cleanups: (() => void)[] = []
function subscribe(...args: Parameters<typeof events.subscribe>) {
  cleanups.push(events.subscribe(...args))
}

test.group('Events outbox', (group) => {
  group.each.teardown(() => {
    while (cleanups.length) cleanups.pop()!()
    events.setGate(() => true)
  })

  test('patterns: * is one segment, a final * is the rest', ({ assert }) => {
    assert.isTrue(compilePattern('*')('ledger.entry.posted'))
    assert.isTrue(compilePattern('ledger.*')('ledger.entry.posted'))
    assert.isTrue(compilePattern('ledger.entry.*')('ledger.entry.posted'))
    assert.isTrue(compilePattern('*.entry.posted')('ledger.entry.posted'))
    assert.isTrue(compilePattern('ledger.entry.posted')('ledger.entry.posted'))
    assert.isFalse(compilePattern('ledger.entry.*')('ledger.account.opened'))
    assert.isFalse(compilePattern('crm.*')('ledger.entry.posted'))
    assert.isFalse(compilePattern('*.entry')('ledger.entry.posted'))
    assert.isFalse(compilePattern('ledger.entry.posted')('ledger.entry.reversed'))
    assert.throws(() => compilePattern('ledger..x'))
    assert.throws(() => compilePattern('Ledger.*'))
  })

  test('the event is written in the caller transaction: rollback leaves nothing', async ({
    assert,
  }) => {
    const name = defineOrderEvent()
    let rolledBack: DomainEvent | null = null
    await db
      .transaction(async (trx) => {
        rolledBack = await events.publish(
          { name, tenantId: null, aggregate: { type: 'order', id: 1 }, payload: { total: 5 } },
          trx
        )
        // visible inside the transaction
        assert.exists(await trx.from('event_outbox').where('event_id', rolledBack.id).first())
        throw new Error('the change failed')
      })
      .catch(() => {})
    assert.isNotNull(rolledBack)
    assert.notExists(await outboxRow(rolledBack!.id))

    const committed = await db.transaction((trx) =>
      events.publish(
        { name, tenantId: null, aggregate: { type: 'order', id: 1 }, payload: { total: 7 } },
        trx
      )
    )
    const row = await outboxRow(committed.id)
    assert.equal(row.status, 'pending')
    assert.equal(row.name, name)
    assert.equal(Number(row.version), 1)
    assert.deepEqual(JSON.parse(row.payload), { total: 7 })
  }).timeout(20_000)

  test('a payload that breaks its versioned schema throws and writes nothing', async ({
    assert,
  }) => {
    const name = defineOrderEvent()
    events.define({
      name,
      version: 2,
      schema: vine.compile(vine.object({ total: vine.number(), currency: vine.string() })),
    })
    const before = await db.from('event_outbox').where('name', name).count('* as n')
    await assert.rejects(
      () =>
        events.publish({
          name,
          version: 1,
          tenantId: null,
          aggregate: { type: 'order', id: 1 },
          payload: { total: -1 },
        }),
      EventPayloadError
    )
    // the latest version is the default: v2 needs a currency
    await assert.rejects(
      () =>
        events.publish({
          name,
          tenantId: null,
          aggregate: { type: 'order', id: 1 },
          payload: { total: 1 },
        }),
      EventPayloadError
    )
    await assert.rejects(
      () =>
        events.publish({
          name: 'nobody.defined.this',
          tenantId: null,
          aggregate: { type: 'x', id: 1 },
          payload: {},
        }),
      UnknownEventError
    )
    const after = await db.from('event_outbox').where('name', name).count('* as n')
    assert.equal(Number(after[0].n), Number(before[0].n))
    const v2 = await events.publish({
      name,
      tenantId: null,
      aggregate: { type: 'order', id: 1 },
      payload: { total: 1, currency: 'EUR' },
    })
    assert.equal(v2.version, 2)
    assert.throws(() => events.define({ name: 'Bad Name', version: 1, schema: {} }))
  }).timeout(20_000)

  test('in order per aggregate; a failing subscriber is retried, the others are not re-run', async ({
    assert,
  }) => {
    const name = defineOrderEvent()
    let now = 1_000_000
    const relay = new EventRelay({ now: () => now, backoff: () => 1000 })
    const seenByA: string[] = []
    const seenByB: string[] = []
    let failOnce = true
    subscribe(name, (event) => void seenByA.push(event.payload.label), {
      name: `${name}:a`,
    })
    subscribe(
      name,
      (event) => {
        if (event.payload.label === 'x1' && failOnce) {
          failOnce = false
          throw new Error('receiver down')
        }
        seenByB.push(event.payload.label)
      },
      { name: `${name}:b` }
    )
    events.define({
      name,
      version: 3,
      schema: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] },
    })
    const publish = (aggregate: string, label: string) =>
      events.publish({
        name,
        tenantId: null,
        aggregate: { type: 'order', id: aggregate },
        payload: { label },
      })
    const x1 = await publish('x', 'x1')
    await publish('x', 'x2')
    await publish('y', 'y1')

    await relay.drain()
    assert.deepEqual(seenByA, ['x1', 'y1'])
    assert.deepEqual(seenByB, ['y1'])
    const failed = await outboxRow(x1.id)
    assert.equal(failed.status, 'pending')
    assert.equal(Number(failed.attempts), 1)
    assert.include(failed.last_error, 'receiver down')
    assert.equal(Number(failed.next_attempt_at), now + 1000)

    // not due yet: nothing moves, x2 stays behind x1
    await relay.drain()
    assert.deepEqual(seenByA, ['x1', 'y1'])

    now += 1000
    await relay.drain()
    assert.deepEqual(seenByA, ['x1', 'y1', 'x2'])
    assert.deepEqual(seenByB, ['y1', 'x1', 'x2'])
    assert.equal((await outboxRow(x1.id)).status, 'delivered')
    // receipts are kept only for an event that did not complete: x1's first run, for A
    const receipts = await db
      .from('event_subscriber_receipts')
      .join('event_outbox', 'event_outbox.id', 'event_subscriber_receipts.outbox_id')
      .where('event_outbox.name', name)
      .whereIn('subscriber', [`${name}:a`, `${name}:b`])
      .select('subscriber', 'event_outbox.event_id')
    assert.deepEqual(receipts, [{ subscriber: `${name}:a`, event_id: x1.id }])
  }).timeout(20_000)

  test('a relay that dies after claiming loses nothing: another resumes after the lease', async ({
    assert,
  }) => {
    const name = defineOrderEvent()
    const seen: number[] = []
    subscribe(name, (event) => void seen.push(event.payload.total), { name: `${name}:s` })
    const published = []
    for (let total = 1; total <= 3; total++) {
      published.push(
        await db.transaction((trx) =>
          events.publish(
            { name, tenantId: null, aggregate: { type: 'order', id: 'z' }, payload: { total } },
            trx
          )
        )
      )
    }
    let now = Date.now()
    // the first relay claims the head of the aggregate, then "crashes"
    const crashed = new EventRelay({ now: () => now, leaseMs: 30_000 })
    const claimed = await crashed.claim()
    assert.include(
      claimed.map(({ row }) => row.event_id),
      published[0].id
    )
    // a fresh relay (a restarted process) cannot take leased rows yet
    const fresh = new EventRelay({ now: () => now, leaseMs: 30_000 })
    await fresh.drain()
    assert.deepEqual(seen, [])
    now += 30_001
    await fresh.drain()
    assert.deepEqual(seen, [1, 2, 3])
    for (const event of published) assert.equal((await outboxRow(event.id)).status, 'delivered')
  }).timeout(20_000)

  test('events published before any relay ran are delivered by a later one', async ({ assert }) => {
    const name = defineOrderEvent()
    const event = await events.publish({
      name,
      tenantId: null,
      aggregate: { type: 'order', id: 9 },
      payload: { total: 9 },
    })
    // process restarts: subscribers registered again, a new relay starts
    const seen: string[] = []
    subscribe(name, (delivered) => void seen.push(delivered.id), { name: `${name}:late` })
    await new EventRelay().drain()
    assert.deepEqual(seen, [event.id])
  }).timeout(20_000)

  test('dead-letter after the last attempt unblocks the aggregate', async ({ assert }) => {
    const name = defineOrderEvent()
    let now = 5_000_000
    const relay = new EventRelay({ now: () => now, backoff: () => 10, maxAttempts: 2 })
    const seen: number[] = []
    subscribe(
      name,
      (event) => {
        if (event.payload.total === 1) throw new Error('always fails')
        seen.push(event.payload.total)
      },
      { name: `${name}:s` }
    )
    const first = await events.publish({
      name,
      tenantId: null,
      aggregate: { type: 'order', id: 'd' },
      payload: { total: 1 },
    })
    await events.publish({
      name,
      tenantId: null,
      aggregate: { type: 'order', id: 'd' },
      payload: { total: 2 },
    })
    await relay.drain()
    assert.equal((await outboxRow(first.id)).status, 'pending')
    assert.deepEqual(seen, [])
    now += 10
    await relay.drain()
    const dead = await outboxRow(first.id)
    assert.equal(dead.status, 'dead')
    assert.equal(Number(dead.attempts), 2)
    assert.include(dead.last_error, 'always fails')
    assert.deepEqual(seen, [2])
  }).timeout(20_000)

  test('handlers run in the event tenant context; the gate can skip a subscriber', async ({
    assert,
  }) => {
    const name = defineOrderEvent()
    const tenant = await Tenant.create({ slug: `ev-${unique()}`, name: 'Events tenant' })
    const contexts: (number | null)[] = []
    let gatedRuns = 0
    subscribe(name, () => void contexts.push(tenantContext.tenantId), { name: `${name}:ctx` })
    subscribe(name, () => void gatedRuns++, { name: `${name}:gated`, owner: 'some-plugin' })
    events.setGate(({ owner, tenantId }) => !(owner === 'some-plugin' && tenantId === tenant.id))
    const event = await tenantContext.run(tenant.id, () =>
      events.publish({ name, aggregate: { type: 'order', id: 1 }, payload: { total: 1 } })
    )
    assert.equal(event.tenantId, tenant.id)
    await new EventRelay().drain()
    assert.deepEqual(contexts, [tenant.id])
    assert.equal(gatedRuns, 0)
    // skipped counts as done: the event completes without the gated subscriber
    assert.equal((await outboxRow(event.id)).status, 'delivered')
  }).timeout(20_000)

  test('several relays at once deliver each event once, in order per aggregate', async ({
    assert,
  }) => {
    const name = defineOrderEvent()
    const seen = new Map<string, number[]>()
    let calls = 0
    subscribe(
      name,
      (event) => {
        calls++
        const list = seen.get(event.aggregate.id) ?? []
        list.push(event.payload.total)
        seen.set(event.aggregate.id, list)
      },
      { name: `${name}:s` }
    )
    for (let total = 0; total < 60; total++) {
      await events.publish({
        name,
        tenantId: null,
        aggregate: { type: 'order', id: `a${total % 4}` },
        payload: { total },
      })
    }
    const relays = [1, 2, 3].map(() => new EventRelay({ batchSize: 7 }))
    await Promise.all(relays.map((relay) => relay.drain()))
    // a straggler round, in case one relay stopped while another still held a lease
    await relays[0].drain()
    assert.equal(calls, 60)
    for (const [aggregate, totals] of seen) {
      const expected = [...totals].sort((a, b) => a - b)
      assert.deepEqual(totals, expected, `aggregate ${aggregate} out of order`)
      assert.lengthOf(totals, 15)
    }
  }).timeout(30_000)
})
