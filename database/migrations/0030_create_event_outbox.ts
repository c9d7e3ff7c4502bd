import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The transactional outbox of domain events, and which subscriber has already
 * handled which event (so a retry re-runs only the subscribers that failed).
 * Times the relay compares are epoch milliseconds: the same integers on SQLite
 * and PostgreSQL, with no time-zone or text-format surprises.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('event_outbox', (table) => {
      table.bigIncrements('id')
      table.string('event_id', 36).notNullable().unique()
      table.string('name', 150).notNullable()
      table.integer('version').notNullable()
      table.integer('tenant_id').unsigned().nullable().references('tenants.id').onDelete('CASCADE')
      table.string('aggregate_type', 60).notNullable()
      table.string('aggregate_id', 120).notNullable()
      table.text('payload').notNullable()
      /* pending -> delivered | dead */
      table.string('status', 16).notNullable().defaultTo('pending')
      table.integer('attempts').notNullable().defaultTo(0)
      table.bigInteger('occurred_at').notNullable()
      table.bigInteger('next_attempt_at').notNullable().defaultTo(0)
      table.bigInteger('locked_until').notNullable().defaultTo(0)
      table.string('locked_by', 64).nullable()
      table.bigInteger('processed_at').nullable()
      table.text('last_error').nullable()
      table.index(['status', 'id'])
      table.index(['aggregate_type', 'aggregate_id', 'status', 'id'])
      table.index(['tenant_id', 'name'])
    })

    this.schema.createTable('event_subscriber_receipts', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('outbox_id')
        .unsigned()
        .notNullable()
        .references('event_outbox.id')
        .onDelete('CASCADE')
      table.string('subscriber', 150).notNullable()
      /* handled | skipped (gated off) | dispatched (queued: handed to the job queue) */
      table.string('outcome', 16).notNullable()
      table.bigInteger('handled_at').notNullable()
      table.unique(['outbox_id', 'subscriber'])
    })
  }

  async down() {
    this.schema.dropTable('event_subscriber_receipts')
    this.schema.dropTable('event_outbox')
  }
}
