import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Cron schedules of the database queue. A worker that moves `next_run_at`
 * forward with a conditional UPDATE owns that tick and enqueues its job, so a
 * tick fires once however many workers look at it.
 */
export default class extends BaseSchema {
  protected tableName = 'job_schedules'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.string('key', 191).primary()
      table.string('cron', 120).notNullable()
      table.string('timezone', 64).nullable()
      table.bigInteger('next_run_at').notNullable()
      table.bigInteger('last_run_at').nullable()
      table.bigInteger('updated_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
