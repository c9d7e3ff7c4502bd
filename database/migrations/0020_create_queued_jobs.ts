import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The database queue (in-process driver): one row per job until it completes;
 * failed-for-good jobs stay as 'dead' with their last error. Times are epoch
 * milliseconds so SQLite and PostgreSQL compare them the same way.
 */
export default class extends BaseSchema {
  protected tableName = 'queued_jobs'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.string('id', 191).primary()
      table.string('name', 191).notNullable()
      table.string('owner', 191).notNullable()
      table
        .integer('tenant_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('tenants')
        .onDelete('CASCADE')
      table.text('payload').notNullable()
      /* pending → running → (deleted when done) | pending again (retry) | dead | skipped */
      table.string('status', 16).notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.integer('max_attempts').notNullable()
      table.bigInteger('run_at').notNullable()
      table.bigInteger('locked_until').nullable()
      table.string('locked_by', 64).nullable()
      table.text('last_error').nullable()
      table.bigInteger('created_at').notNullable()
      table.bigInteger('finished_at').nullable()
      table.index(['status', 'run_at'])
      table.index(['tenant_id', 'status'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
