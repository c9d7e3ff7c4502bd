import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The salon plugin's tables. Every row carries tenant_id. Instants are epoch
 * milliseconds (bigint) on both databases, so interval arithmetic and range
 * queries read the same everywhere; PostgreSQL adds a tstzrange over them for
 * the exclusion constraint that makes double-booking impossible.
 */
const TABLES = [
  'salon_calendar_feeds',
  'salon_reminders',
  'salon_waitlist_entries',
  'salon_booking_slots',
  'salon_appointment_services',
  'salon_appointments',
  'salon_time_off',
  'salon_date_overrides',
  'salon_weekly_hours',
  'salon_service_resources',
  'salon_service_staff',
  'salon_services',
  'salon_resources',
  'salon_locations',
]

export default class extends BaseSchema {
  async up() {
    const tenant = (table: any) =>
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')
    const user = (table: any, name: string) =>
      table.integer(name).unsigned().notNullable().references('users.id').onDelete('CASCADE')

    this.schema.createTable('salon_locations', (table) => {
      table.increments('id')
      tenant(table)
      table.string('name', 200).notNullable()
      /* IANA zone, e.g. Europe/London */
      table.string('time_zone', 64).notNullable()
      /* [{ weekday: 1-7, opens: minutes, closes: minutes }] */
      table.text('opening_hours').notNullable().defaultTo('[]')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
    })

    this.schema.createTable('salon_resources', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('location_id')
        .unsigned()
        .nullable()
        .references('salon_locations.id')
        .onDelete('CASCADE')
      table.string('name', 200).notNullable()
      table.integer('capacity').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
    })

    this.schema.createTable('salon_services', (table) => {
      table.increments('id')
      tenant(table)
      table.string('name', 200).notNullable()
      table.text('description').nullable()
      table.integer('duration_minutes').notNullable()
      table.integer('buffer_before_minutes').notNullable().defaultTo(0)
      table.integer('buffer_after_minutes').notNullable().defaultTo(0)
      /* { "EUR": "2500" }: minor units per currency */
      table.text('prices').notNullable().defaultTo('{}')
      table.text('deposits').notNullable().defaultTo('{}')
      table.boolean('active').notNullable().defaultTo(true)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'name'])
    })

    this.schema.createTable('salon_service_staff', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('salon_services.id')
        .onDelete('CASCADE')
      user(table, 'user_id')
      table.unique(['service_id', 'user_id'])
      table.index(['tenant_id', 'user_id'])
    })

    this.schema.createTable('salon_service_resources', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('salon_services.id')
        .onDelete('CASCADE')
      table
        .integer('resource_id')
        .unsigned()
        .notNullable()
        .references('salon_resources.id')
        .onDelete('CASCADE')
      table.unique(['service_id', 'resource_id'])
    })

    this.schema.createTable('salon_weekly_hours', (table) => {
      table.increments('id')
      tenant(table)
      user(table, 'user_id')
      table
        .integer('location_id')
        .unsigned()
        .notNullable()
        .references('salon_locations.id')
        .onDelete('CASCADE')
      table.smallint('weekday').notNullable()
      /* work | break */
      table.string('kind', 8).notNullable()
      /* minutes after local midnight */
      table.integer('starts_minute').notNullable()
      table.integer('ends_minute').notNullable()
      table.index(['tenant_id', 'user_id'])
    })

    this.schema.createTable('salon_date_overrides', (table) => {
      table.increments('id')
      tenant(table)
      user(table, 'user_id')
      table
        .integer('location_id')
        .unsigned()
        .notNullable()
        .references('salon_locations.id')
        .onDelete('CASCADE')
      /* local date, YYYY-MM-DD */
      table.string('date', 10).notNullable()
      /* [[startMinute, endMinute], ...]; empty = day off */
      table.text('intervals').notNullable().defaultTo('[]')
      table.unique(['tenant_id', 'user_id', 'date'])
    })

    this.schema.createTable('salon_time_off', (table) => {
      table.increments('id')
      tenant(table)
      user(table, 'user_id')
      table.bigInteger('starts_ms').notNullable()
      table.bigInteger('ends_ms').notNullable()
      table.string('reason', 200).nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'user_id', 'starts_ms'])
    })

    this.schema.createTable('salon_appointments', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('client_id')
        .unsigned()
        .notNullable()
        .references('crm_clients.id')
        .onDelete('CASCADE')
      table
        .integer('location_id')
        .unsigned()
        .notNullable()
        .references('salon_locations.id')
        .onDelete('CASCADE')
      user(table, 'staff_user_id')
      /* booked | cancelled | no_show | completed */
      table.string('status', 16).notNullable()
      table.bigInteger('starts_ms').notNullable()
      table.bigInteger('ends_ms').notNullable()
      table.string('currency', 3).notNullable()
      table.bigInteger('price_minor').notNullable().defaultTo(0)
      table.bigInteger('deposit_minor').notNullable().defaultTo(0)
      table.bigInteger('fee_minor').notNullable().defaultTo(0)
      /* late_cancel | no_show */
      table.string('fee_reason', 16).nullable()
      table.string('series_id', 36).nullable()
      table.integer('series_index').nullable()
      table.text('notes').nullable()
      table.bigInteger('cancelled_at_ms').nullable()
      table.string('invoice_ref', 64).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'staff_user_id', 'starts_ms'])
      table.index(['tenant_id', 'status', 'starts_ms'])
      table.index(['tenant_id', 'client_id'])
      table.index(['tenant_id', 'series_id'])
    })

    this.schema.createTable('salon_appointment_services', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('appointment_id')
        .unsigned()
        .notNullable()
        .references('salon_appointments.id')
        .onDelete('CASCADE')
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('salon_services.id')
        .onDelete('CASCADE')
      table.integer('position').notNullable()
      table.bigInteger('starts_ms').notNullable()
      table.bigInteger('ends_ms').notNullable()
      table.bigInteger('price_minor').notNullable().defaultTo(0)
      table.index(['appointment_id'])
    })

    /* what a live appointment holds: its staff member and each resource unit, buffers included */
    this.schema.createTable('salon_booking_slots', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('appointment_id')
        .unsigned()
        .notNullable()
        .references('salon_appointments.id')
        .onDelete('CASCADE')
      /* staff | resource */
      table.string('subject_kind', 8).notNullable()
      table.integer('subject_id').notNullable()
      /* which unit of a resource with capacity > 1 (0 for staff) */
      table.integer('unit').notNullable().defaultTo(0)
      table.bigInteger('starts_ms').notNullable()
      table.bigInteger('ends_ms').notNullable()
      table.index(['tenant_id', 'subject_kind', 'subject_id', 'starts_ms'])
      table.index(['appointment_id'])
    })
    if (this.db.dialect.name === 'postgres') {
      this.schema.raw('CREATE EXTENSION IF NOT EXISTS btree_gist')
      this.schema.raw(
        `ALTER TABLE salon_booking_slots ADD COLUMN period tstzrange
           GENERATED ALWAYS AS (tstzrange(to_timestamp(starts_ms / 1000.0), to_timestamp(ends_ms / 1000.0), '[)')) STORED`
      )
      this.schema.raw(
        `ALTER TABLE salon_booking_slots ADD CONSTRAINT salon_booking_slots_no_overlap
           EXCLUDE USING gist (tenant_id WITH =, subject_kind WITH =, subject_id WITH =, unit WITH =, period WITH &&)`
      )
    }

    this.schema.createTable('salon_waitlist_entries', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('client_id')
        .unsigned()
        .notNullable()
        .references('crm_clients.id')
        .onDelete('CASCADE')
      table
        .integer('service_id')
        .unsigned()
        .notNullable()
        .references('salon_services.id')
        .onDelete('CASCADE')
      table
        .integer('staff_user_id')
        .unsigned()
        .nullable()
        .references('users.id')
        .onDelete('CASCADE')
      table.bigInteger('window_starts_ms').notNullable()
      table.bigInteger('window_ends_ms').notNullable()
      /* waiting | offered | closed */
      table.string('status', 16).notNullable()
      table.bigInteger('offered_starts_ms').nullable()
      table.integer('offered_staff_user_id').nullable()
      table.integer('offered_from_appointment_id').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'status', 'service_id'])
    })

    this.schema.createTable('salon_reminders', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('appointment_id')
        .unsigned()
        .notNullable()
        .references('salon_appointments.id')
        .onDelete('CASCADE')
      table.integer('offset_minutes').notNullable()
      /* sent | skipped (booked inside the offset) */
      table.string('outcome', 8).notNullable()
      table.bigInteger('at_ms').notNullable()
      table.unique(['appointment_id', 'offset_minutes'])
    })

    this.schema.createTable('salon_calendar_feeds', (table) => {
      table.increments('id')
      tenant(table)
      user(table, 'user_id')
      /* sha256 of the secret token; the token itself is shown once */
      table.string('token_hash', 64).notNullable().unique()
      table.timestamp('revoked_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'user_id'])
    })
  }

  async down() {
    for (const name of TABLES) this.schema.dropTableIfExists(name)
  }
}
