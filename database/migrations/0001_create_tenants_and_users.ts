import { BaseSchema } from '@adonisjs/lucid/schema'

/* Kernel identity tables: tenants, users, roles and the memberships that join them. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('tenants', (table) => {
      table.increments('id')
      table.string('slug', 63).notNullable().unique()
      table.string('name', 200).notNullable()
      table.boolean('require_two_factor').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('users', (table) => {
      table.increments('id')
      table.string('email', 254).notNullable().unique()
      table.string('full_name', 200).notNullable()
      table.string('password').notNullable()
      table.boolean('invitation_pending').notNullable().defaultTo(false)
      table.integer('failed_login_count').notNullable().defaultTo(0)
      table.timestamp('locked_until').nullable()
      table.text('totp_secret').nullable()
      table.timestamp('totp_enabled_at').nullable()
      table.text('totp_recovery_codes').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('roles', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.string('key', 63).notNullable()
      table.string('name', 100).notNullable()
      table.boolean('is_system').notNullable().defaultTo(false)
      table.text('permissions').notNullable().defaultTo('[]')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'key'])
    })

    this.schema.createTable('memberships', (table) => {
      table.increments('id')
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.integer('role_id').unsigned().notNullable().references('roles.id')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'user_id'])
      table.index(['user_id'])
    })
  }

  async down() {
    this.schema.dropTable('memberships')
    this.schema.dropTable('roles')
    this.schema.dropTable('users')
    this.schema.dropTable('tenants')
  }
}
