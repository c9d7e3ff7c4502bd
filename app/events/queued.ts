import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { defineJob } from '#jobs/define_job'
import { jobs } from '#jobs/jobs'
import { events } from '#events/events'
import { markQueuedOutcome, relay, setQueuedDispatch, toDomainEvent } from '#events/relay'

type Payload = { outboxId: number; subscriber: string }

/*
 * Queued subscribers: the relay dispatches this job per (event, subscriber);
 * a worker runs the handler (in the event's tenant: the job carries it), with
 * the job queue's retries. The relay holds the aggregate's next event until
 * the job has finished, so order per aggregate holds for queued subscribers too.
 */
export const deliverEventJob = defineJob<Payload>({
  name: 'events.deliver',
  owner: 'kernel',
  attempts: 8,
  backoff: 1000,
  async handle(payload, ctx) {
    const row = await db.from('event_outbox').where('id', payload.outboxId).first()
    if (!row) return
    const subscriber = events.subscriber(payload.subscriber)
    try {
      if (!subscriber) throw new Error(`No subscriber "${payload.subscriber}" in this process`)
      const event = toDomainEvent(row)
      if (await events.allows(subscriber, event)) {
        await subscriber.handler(event, { subscriber: subscriber.name, attempt: ctx.attempt })
      }
    } catch (error) {
      if (ctx.attempt >= deliverEventJob.attempts) {
        logger.error(
          { err: error, outboxId: payload.outboxId, subscriber: payload.subscriber },
          'queued event subscriber dead-lettered'
        )
        await markQueuedOutcome(payload.outboxId, payload.subscriber, 'dead')
        relay.nudge()
      }
      throw error
    }
    await markQueuedOutcome(payload.outboxId, payload.subscriber, 'handled')
    relay.nudge()
  },
})

jobs.register(deliverEventJob)

setQueuedDispatch(async (event, subscriber, outboxId) => {
  await jobs.dispatch(
    deliverEventJob,
    { outboxId, subscriber: subscriber.name },
    {
      tenantId: event.tenantId,
      // stable: a relay that re-runs after a crash does not queue the job twice
      jobId: `event-${event.id}-${subscriber.name.replace(/[^a-zA-Z0-9._-]/g, '_')}`,
    }
  )
})
