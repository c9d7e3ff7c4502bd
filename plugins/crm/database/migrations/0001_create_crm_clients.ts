import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * CRM clients and what hangs off them. Every table carries tenant_id (the
 * models scope every query by it) and starts with "crm_".
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('crm_clients', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('kind', 16).notNullable()
      table.string('name', 200).notNullable()
      table.string('company_name', 200).nullable()
      table.string('status', 16).notNullable().defaultTo('active')
      table
        .integer('owner_user_id')
        .unsigned()
        .nullable()
        .references('users.id')
        .onDelete('SET NULL')
      table.text('custom_fields').notNullable().defaultTo('{}')
      /* lower-cased names, company, emails and phone digits: what search reads */
      table.text('search_text').notNullable().defaultTo('')
      table.timestamp('erased_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'status', 'id'])
      table.index(['tenant_id', 'name'])
    })

    this.schema.createTable('crm_client_emails', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('client_id')
        .unsigned()
        .notNullable()
        .references('crm_clients.id')
        .onDelete('CASCADE')
      table.string('email', 254).notNullable()
      table.string('label', 40).nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.index(['tenant_id', 'email'])
      table.index(['client_id'])
    })

    this.schema.createTable('crm_client_phones', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('client_id')
        .unsigned()
        .notNullable()
        .references('crm_clients.id')
        .onDelete('CASCADE')
      /* E.164 */
      table.string('number', 20).notNullable()
      table.string('label', 40).nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.index(['tenant_id', 'number'])
      table.index(['client_id'])
    })

    this.schema.createTable('crm_client_addresses', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('client_id')
        .unsigned()
        .notNullable()
        .references('crm_clients.id')
        .onDelete('CASCADE')
      table.string('label', 40).nullable()
      table.string('line1', 200).notNullable()
      table.string('line2', 200).nullable()
      table.string('city', 100).nullable()
      table.string('region', 100).nullable()
      table.string('postal_code', 20).nullable()
      /* ISO 3166-1 alpha-2 */
      table.string('country', 2).nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.index(['client_id'])
    })

    this.schema.createTable('crm_contacts', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('client_id')
        .unsigned()
        .notNullable()
        .references('crm_clients.id')
        .onDelete('CASCADE')
      table.string('name', 200).notNullable()
      table.string('role', 100).nullable()
      table.string('email', 254).nullable()
      table.string('phone', 20).nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.index(['client_id'])
    })

    this.schema.createTable('crm_client_tags', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('client_id')
        .unsigned()
        .notNullable()
        .references('crm_clients.id')
        .onDelete('CASCADE')
      table.string('tag', 50).notNullable()
      table.unique(['client_id', 'tag'])
      table.index(['tenant_id', 'tag'])
    })

    this.schema.createTable('crm_notes', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table
        .integer('client_id')
        .unsigned()
        .notNullable()
        .references('crm_clients.id')
        .onDelete('CASCADE')
      table
        .integer('author_user_id')
        .unsigned()
        .nullable()
        .references('users.id')
        .onDelete('SET NULL')
      table.text('body').notNullable()
      table.timestamp('created_at').notNullable()
      table.index(['client_id', 'id'])
    })
  }

  async down() {
    for (const name of [
      'crm_notes',
      'crm_client_tags',
      'crm_contacts',
      'crm_client_addresses',
      'crm_client_phones',
      'crm_client_emails',
      'crm_clients',
    ]) {
      this.schema.dropTable(name)
    }
  }
}
