import { BaseSchema } from '@adonisjs/lucid/schema'

/* The plugin's own table, prefixed with its id; kernel tables are never altered. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('tickets_tickets', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('subject', 200).notNullable()
      table.string('priority', 10).notNullable().defaultTo('normal')
      table.timestamp('closed_at').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('tickets_tickets')
  }
}
