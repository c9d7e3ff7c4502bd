import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
 * CI check: migrate up, down to zero, up again on the configured database
 * (kernel and plugin migrations) and compare the schema before and after.
 * It drops every table on the way: run it on a scratch database only.
 */
export default class PlinthMigrationsCheck extends BaseCommand {
  static commandName = 'plinth:migrations:check'
  static description =
    'Round-trip every migration (up, down to zero, up) and compare the schema; DESTROYS data'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Run even when NODE_ENV=production' })
  declare force: boolean

  async run() {
    if (this.app.inProduction && !this.force) {
      this.logger.error('Refusing to drop every table in production (pass --force)')
      this.exitCode = 1
      return
    }
    const db = await this.app.container.make('lucid.db')
    const { checkMigrationRoundTrip } = await import('#plugins/migration_check')
    const result = await checkMigrationRoundTrip(db, this.app)
    this.logger.info(
      `${result.migrations} migrations rolled back and re-applied on ${result.connection}`
    )
    for (const table of result.leftovers) {
      this.logger.error(`table "${table}" survived the rollback to zero (a down is missing)`)
    }
    for (const line of result.differences) this.logger.error(`schema differs: ${line}`)
    if (result.ok) this.logger.success('schema identical after down and up')
    else this.exitCode = 1
  }
}
