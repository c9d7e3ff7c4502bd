import type { ApplicationService } from '@adonisjs/core/types'

/*
 * Sets the queue driver QUEUE_DRIVER names and registers the kernel's jobs.
 * With the database driver the web process runs the worker itself; with Redis
 * it only dispatches and `node ace queue:listen` runs the workers. Ace
 * commands (migrations, ...) and tests start no worker unless they ask.
 */
export default class JobsProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    const { jobs } = await import('#jobs/jobs')
    const { createConfiguredDriver } = await import('#jobs/configured_driver')
    if (!jobs.hasDriver) jobs.useDriver(createConfiguredDriver(this.app, jobs))
    await import('#jobs/kernel_jobs')
    // terminating hooks run before providers shut down: running jobs finish while the database is still open
    this.app.terminating(() => jobs.driver.close())
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const { jobs } = await import('#jobs/jobs')
    if (jobs.driver.kind === 'database') await jobs.startWorker()
  }

  async shutdown() {
    const { jobs } = await import('#jobs/jobs')
    if (jobs.hasDriver) await jobs.driver.close()
  }
}
