import type { ApplicationService } from '@adonisjs/core/types'
import env from '#start/env'

/*
 * Domain events and webhooks: registers the kernel subscribers (webhook
 * fan-out), the queued-subscriber job, and runs the outbox relay and the
 * webhook dispatcher in the web process (the embedded default; any number of
 * processes may run them). Workers elsewhere run `node ace events:work`.
 * Ace commands and tests start nothing; tests drive relays themselves.
 */
export default class EventsProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    await import('#events/queued')
    await import('#webhooks/fan_out')
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    if (env.get('EVENTS_RELAY_IN_WEB') === false) return
    const { relay } = await import('#events/relay')
    const { webhookDispatcher } = await import('#webhooks/dispatcher')
    relay.start()
    webhookDispatcher.start()
    // terminating hooks run before providers shut down: a round in flight ends while the database is open
    this.app.terminating(async () => {
      await relay.stop()
      await webhookDispatcher.stop()
    })
  }

  async shutdown() {
    const { relay } = await import('#events/relay')
    const { webhookDispatcher } = await import('#webhooks/dispatcher')
    await relay.stop()
    await webhookDispatcher.stop()
  }
}
