import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
 * A jobs worker: BullMQ with QUEUE_DRIVER=redis, the database queue otherwise.
 * Handlers are resolved by job name from the registry this process booted with,
 * so it runs from any checkout path or build. SIGTERM or SIGINT: stop taking
 * jobs, let the running ones finish, close connections, exit 0.
 */
export default class QueueListen extends BaseCommand {
  static commandName = 'queue:listen'
  static description = 'Run a jobs worker until SIGTERM/SIGINT (BullMQ or the database queue)'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.number({ description: 'Jobs run at the same time (default 5)' })
  declare concurrency?: number

  async run() {
    const { jobs } = await import('#jobs/jobs')
    // SIGTERM is wired to app.terminate() in bin/console.ts; Ctrl-C gets the same graceful stop
    process.once('SIGINT', () => this.app.terminate())
    await jobs.startWorker({ concurrency: this.concurrency })
    this.logger.info(`jobs worker ready (driver: ${jobs.driver.kind}, pid: ${process.pid})`)
  }
}
