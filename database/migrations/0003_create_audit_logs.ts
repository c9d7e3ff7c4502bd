import { BaseSchema } from '@adonisjs/lucid/schema'

/* Append-only audit log: the database itself refuses UPDATE and DELETE. */
export default class extends BaseSchema {
  protected tableName = 'audit_logs'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().nullable().references('tenants.id')
      table.integer('actor_user_id').unsigned().nullable()
      table.string('action', 100).notNullable()
      table.string('subject_type', 60).nullable()
      table.string('subject_id', 60).nullable()
      table.string('request_id', 64).nullable()
      table.string('ip', 64).nullable()
      table.text('meta').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'created_at'])
    })

    this.defer(async (db) => {
      if (this.db.dialect.name === 'postgres') {
        await db.rawQuery(`
          CREATE FUNCTION audit_logs_append_only() RETURNS trigger AS $$
          BEGIN RAISE EXCEPTION 'audit_logs is append-only'; END;
          $$ LANGUAGE plpgsql`)
        await db.rawQuery(`
          CREATE TRIGGER audit_logs_no_change BEFORE UPDATE OR DELETE ON audit_logs
          FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only()`)
      } else {
        await db.rawQuery(`
          CREATE TRIGGER audit_logs_no_update BEFORE UPDATE ON audit_logs
          BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END`)
        await db.rawQuery(`
          CREATE TRIGGER audit_logs_no_delete BEFORE DELETE ON audit_logs
          BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END`)
      }
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
    this.defer(async (db) => {
      if (this.db.dialect.name === 'postgres') {
        await db.rawQuery('DROP FUNCTION IF EXISTS audit_logs_append_only()')
      }
    })
  }
}
