import { BaseSchema } from '@adonisjs/lucid/schema'

/* CSV imports: the file, the column mapping, progress and per-row errors. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('crm_imports', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.integer('user_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.string('status', 16).notNullable()
      table.text('csv').notNullable()
      table.text('mapping').notNullable()
      table.integer('total_rows').notNullable().defaultTo(0)
      table.integer('processed_rows').notNullable().defaultTo(0)
      table.integer('created_count').notNullable().defaultTo(0)
      table.integer('error_count').notNullable().defaultTo(0)
      table.text('errors').notNullable().defaultTo('[]')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('crm_imports')
  }
}
