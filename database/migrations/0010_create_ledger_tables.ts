import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The double-entry ledger: chart of accounts, journal entries, their lines
 * (signed integer minor units, debit > 0, credit < 0) and locked periods.
 * Entries and lines are append-only: the database refuses UPDATE and DELETE,
 * so a correction can only be a reversing entry. On PostgreSQL a deferred
 * constraint trigger also refuses, at commit, an entry whose lines do not sum
 * to zero per currency.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('ledger_accounts', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id')
      table.string('code', 20).notNullable()
      table.string('name', 120).notNullable()
      table.string('type', 10).notNullable()
      table.string('normal_side', 6).notNullable()
      table.integer('parent_id').unsigned().nullable().references('ledger_accounts.id')
      /* null: the account takes any currency */
      table.string('currency', 3).nullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      /* what the account is for in reports, e.g. retained_earnings */
      table.string('role', 40).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'code'])
    })

    this.schema.createTable('ledger_entries', (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id')
      /* YYYY-MM-DD: a calendar date, compared as text on both databases */
      table.string('entry_date', 10).notNullable()
      table.string('memo', 500).notNullable().defaultTo('')
      table.string('source_plugin', 100).notNullable()
      table.string('source_reference', 200).nullable()
      table.string('idempotency_key', 255).notNullable()
      /* sha-256 of the normalized request, to tell a replay from a different payload */
      table.string('payload_hash', 64).notNullable()
      table.bigInteger('reverses_entry_id').unsigned().nullable().references('ledger_entries.id')
      table.boolean('lock_overridden').notNullable().defaultTo(false)
      table.integer('created_by_user_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.unique(['tenant_id', 'idempotency_key'])
      /* an entry is reversed at most once */
      table.unique(['reverses_entry_id'])
      table.index(['tenant_id', 'entry_date', 'id'])
      table.index(['tenant_id', 'source_plugin', 'source_reference'])
    })

    this.schema.createTable('ledger_lines', (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id')
      table.bigInteger('entry_id').unsigned().notNullable().references('ledger_entries.id')
      table.integer('account_id').unsigned().notNullable().references('ledger_accounts.id')
      table.string('currency', 3).notNullable()
      /* minor units, debit positive, credit negative; never zero */
      table.bigInteger('amount').notNullable()
      /* copied from the entry so balances and reports read one table */
      table.string('entry_date', 10).notNullable()
      table.index(['entry_id'])
      table.index(['tenant_id', 'account_id', 'entry_date', 'id'])
      table.index(['tenant_id', 'entry_date'])
    })

    this.schema.createTable('ledger_periods', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id')
      /* YYYY-MM */
      table.string('period', 7).notNullable()
      table.boolean('is_locked').notNullable().defaultTo(false)
      table.integer('changed_by_user_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'period'])
    })

    this.defer(async (db) => {
      if (this.db.dialect.name === 'postgres') {
        await db.rawQuery(`
          CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
          BEGIN RAISE EXCEPTION '% is append-only: post a reversing entry instead', TG_TABLE_NAME; END;
          $$ LANGUAGE plpgsql`)
        for (const name of ['ledger_entries', 'ledger_lines']) {
          await db.rawQuery(`
            CREATE TRIGGER ${name}_no_change BEFORE UPDATE OR DELETE ON ${name}
            FOR EACH ROW EXECUTE FUNCTION ledger_append_only()`)
        }
        await db.rawQuery(`
          CREATE FUNCTION ledger_entry_balanced() RETURNS trigger AS $$
          BEGIN
            IF NOT EXISTS (SELECT 1 FROM ledger_lines WHERE entry_id = NEW.id) THEN
              RAISE EXCEPTION 'ledger entry % has no lines', NEW.id;
            END IF;
            IF EXISTS (
              SELECT 1 FROM ledger_lines WHERE entry_id = NEW.id
              GROUP BY currency HAVING SUM(amount) <> 0
            ) THEN
              RAISE EXCEPTION 'ledger entry % does not balance per currency', NEW.id;
            END IF;
            RETURN NULL;
          END;
          $$ LANGUAGE plpgsql`)
        await db.rawQuery(`
          CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
          DEFERRABLE INITIALLY DEFERRED
          FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced()`)
      } else {
        for (const name of ['ledger_entries', 'ledger_lines']) {
          await db.rawQuery(`
            CREATE TRIGGER ${name}_no_update BEFORE UPDATE ON ${name}
            BEGIN SELECT RAISE(ABORT, '${name} is append-only: post a reversing entry instead'); END`)
          await db.rawQuery(`
            CREATE TRIGGER ${name}_no_delete BEFORE DELETE ON ${name}
            BEGIN SELECT RAISE(ABORT, '${name} is append-only: post a reversing entry instead'); END`)
        }
      }
    })
  }

  async down() {
    this.schema.dropTable('ledger_periods')
    this.schema.dropTable('ledger_lines')
    this.schema.dropTable('ledger_entries')
    this.schema.dropTable('ledger_accounts')
    this.defer(async (db) => {
      if (this.db.dialect.name === 'postgres') {
        await db.rawQuery('DROP FUNCTION IF EXISTS ledger_entry_balanced()')
        await db.rawQuery('DROP FUNCTION IF EXISTS ledger_append_only()')
      }
    })
  }
}
