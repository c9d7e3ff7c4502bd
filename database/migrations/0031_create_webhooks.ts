import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Tenants' webhooks, one delivery per (webhook, event), and the log of every
 * attempt. Times the dispatcher compares are epoch milliseconds, as in the
 * outbox.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('webhooks', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('url', 2048).notNullable()
      table.string('description', 200).nullable()
      /* JSON array of event-name patterns */
      table.text('events').notNullable()
      /* encrypted with the app key; only the hint is ever shown again */
      table.text('secret').notNullable()
      table.string('secret_hint', 16).notNullable()
      table.boolean('active').notNullable().defaultTo(true)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'active'])
    })

    this.schema.createTable('webhook_deliveries', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('webhook_id')
        .unsigned()
        .notNullable()
        .references('webhooks.id')
        .onDelete('CASCADE')
      table.string('event_id', 36).notNullable()
      table.string('event_name', 150).notNullable()
      /* the exact JSON body sent (and signed) on every attempt */
      table.text('body').notNullable()
      /* pending | retrying | succeeded | dead */
      table.string('status', 16).notNullable().defaultTo('pending')
      /* attempts in the current round (a redelivery starts a new round) */
      table.integer('attempts').notNullable().defaultTo(0)
      table.bigInteger('next_attempt_at').nullable()
      table.bigInteger('locked_until').notNullable().defaultTo(0)
      table.string('locked_by', 64).nullable()
      table.integer('response_code').nullable()
      table.integer('duration_ms').nullable()
      table.text('error').nullable()
      table.bigInteger('delivered_at').nullable()
      table.bigInteger('dead_lettered_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['webhook_id', 'event_id'])
      table.index(['status', 'next_attempt_at'])
      table.index(['webhook_id', 'id'])
    })

    this.schema.createTable('webhook_delivery_attempts', (table) => {
      table.bigIncrements('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .bigInteger('delivery_id')
        .unsigned()
        .notNullable()
        .references('webhook_deliveries.id')
        .onDelete('CASCADE')
      table.integer('attempt').notNullable()
      /* succeeded | failed */
      table.string('status', 16).notNullable()
      table.integer('response_code').nullable()
      table.integer('duration_ms').notNullable()
      table.text('error').nullable()
      table.bigInteger('attempted_at').notNullable()
      table.index(['delivery_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('webhook_delivery_attempts')
    this.schema.dropTable('webhook_deliveries')
    this.schema.dropTable('webhooks')
  }
}
