import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Plugin state: platform-wide installations (version, state) and each
 * tenant's switch and settings per plugin.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('plugin_installations', (table) => {
      table.increments('id')
      table.string('plugin_id', 50).notNullable().unique()
      table.string('version', 50).notNullable()
      /* installed | uninstalled */
      table.string('state', 20).notNullable()
      table.timestamp('installed_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('tenant_plugins', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('plugin_id', 50).notNullable()
      table.boolean('enabled').notNullable().defaultTo(false)
      /* the plugin's version when the tenant last switched it on */
      table.string('version', 50).nullable()
      table.timestamp('enabled_at').nullable()
      table.timestamp('disabled_at').nullable()
      /* JSON; secret fields hold ciphertext from the app encryption service */
      table.text('settings').notNullable().defaultTo('{}')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'plugin_id'])
      table.index(['plugin_id'])
    })
  }

  async down() {
    this.schema.dropTable('tenant_plugins')
    this.schema.dropTable('plugin_installations')
  }
}
