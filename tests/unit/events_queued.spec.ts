import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { events, type DomainEvent } from '#events/events'
import { EventRelay } from '#events/relay'
import { jobs } from '#jobs/jobs'
import { DatabaseQueue } from '#jobs/database_queue'
import { redisQueueFromConfig } from '#jobs/configured_driver'
import type { QueueDriver } from '#jobs/queue_driver'
import Tenant from '#models/tenant'
import { tenantContext } from '#tenancy/tenant_context'
import { unique } from '#tests/helpers'
import { waitFor } from '#tests/jobs_helpers'

/*
 * Queued subscribers go through the jobs service: the database queue on the
 * SQLite run, BullMQ (own key prefix) on the PostgreSQL + Redis run.
 */
async function startJobsWorker() {
  if (jobs.driver.kind === 'database') {
    const worker = new DatabaseQueue(jobs, { pollMs: 20 })
    const previous = jobs.useDriver(worker) as QueueDriver
    await worker.startWorker()
    return async () => {
      await worker.close()
      jobs.useDriver(previous)
    }
  }
  const queue = redisQueueFromConfig(app, jobs, { prefix: `plinth-events-${unique()}` })
  const previous = jobs.useDriver(queue) as QueueDriver
  await queue.startWorker()
  return async () => {
    await queue.stopWorker()
    await queue.queue.obliterate({ force: true })
    await queue.close()
    jobs.useDriver(previous)
  }
}

test.group('Events: queued subscribers', () => {
  test('run as jobs in the tenant context, at least once, in order per aggregate', async ({
    assert,
    cleanup,
  }) => {
    const name = `t${unique()}.ticket.opened`
    events.define({ name, version: 1, schema: { type: 'object' } })
    const tenant = await Tenant.create({ slug: `evq-${unique()}`, name: 'Queued' })
    const seen: { n: number; tenant: number | null }[] = []
    let failures = 1
    cleanup(
      events.subscribe(
        name,
        (event) => {
          if (event.payload.n === 1 && failures-- > 0) throw new Error('flaky consumer')
          seen.push({ n: event.payload.n, tenant: tenantContext.tenantId })
        },
        { name: `${name}:queued`, queued: true }
      )
    )
    const published: DomainEvent[] = []
    for (const n of [1, 2]) {
      published.push(
        await events.publish({
          name,
          tenantId: tenant.id,
          aggregate: { type: 'ticket', id: 7 },
          payload: { n },
        })
      )
    }
    const stop = await startJobsWorker()
    cleanup(stop)
    const relay = new EventRelay({ queuedRecheckMs: 0 })
    await waitFor(
      async () => {
        await relay.drain()
        const rows = await db
          .from('event_outbox')
          .whereIn(
            'event_id',
            published.map((event) => event.id)
          )
          .where('status', 'delivered')
        return rows.length === 2
      },
      15_000,
      'both events delivered'
    )
    // the first event's job failed once and was retried; the second waited for it
    assert.deepEqual(seen, [
      { n: 1, tenant: tenant.id },
      { n: 2, tenant: tenant.id },
    ])
  }).timeout(30_000)
})
