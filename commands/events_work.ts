import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
 * Runs the outbox relay and the webhook dispatcher until SIGTERM/SIGINT. Safe
 * to run on any number of machines next to the web processes (leased claims,
 * SKIP LOCKED on PostgreSQL); set EVENTS_RELAY_IN_WEB=false to keep that work
 * out of the web processes.
 */
export default class EventsWork extends BaseCommand {
  static commandName = 'events:work'
  static description = 'Deliver outbox events to subscribers and webhooks until SIGTERM/SIGINT'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    const { relay } = await import('#events/relay')
    const { webhookDispatcher } = await import('#webhooks/dispatcher')
    process.once('SIGINT', () => this.app.terminate())
    this.app.terminating(async () => {
      await relay.stop()
      await webhookDispatcher.stop()
    })
    relay.start()
    webhookDispatcher.start()
    this.logger.info(`events worker ready (pid: ${process.pid})`)
  }
}
