import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * CSV imports of large files: the parsed rows are kept in chunks (a JSON array
 * of rows each) instead of the whole file in crm_imports.csv, so neither the
 * upload nor the job holds a 50 MB string; the header row moves to
 * crm_imports.headers.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('crm_import_rows', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('import_id')
        .unsigned()
        .notNullable()
        .references('crm_imports.id')
        .onDelete('CASCADE')
      /* the file's row number (2 = the first row after the header) of the chunk's first row */
      table.integer('first_row').notNullable()
      table.text('rows').notNullable()
      table.unique(['import_id', 'first_row'])
    })
    this.schema.alterTable('crm_imports', (table) => {
      table.dropColumn('csv')
      table.text('headers').notNullable().defaultTo('[]')
      table.string('file_name', 255).nullable()
    })
  }

  async down() {
    this.schema.alterTable('crm_imports', (table) => {
      table.dropColumn('file_name')
      table.dropColumn('headers')
      table.text('csv').notNullable().defaultTo('')
    })
    this.schema.dropTable('crm_import_rows')
  }
}
