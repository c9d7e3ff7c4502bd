import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Client search indexes over crm_clients.search_text.
 * - PostgreSQL: a generated tsvector with a GIN index (word prefixes) and a
 *   pg_trgm GIN index (substrings and typos, ranked by word similarity).
 * - SQLite: two FTS5 tables kept in sync by triggers: unicode61 words with a
 *   prefix index (prefix queries, bm25) and trigrams (substrings and typos).
 */
export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      if (this.db.dialect.name === 'postgres') {
        // shared extension: created if missing, never dropped (others may use it)
        await db.rawQuery('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        // words split at "@" and "." as on SQLite: the default parser keeps an email whole
        await db.rawQuery(
          `ALTER TABLE crm_clients ADD COLUMN search_vector tsvector
           GENERATED ALWAYS AS (to_tsvector('simple', regexp_replace(search_text, '[@.+_-]', ' ', 'g'))) STORED`
        )
        await db.rawQuery(
          'CREATE INDEX crm_clients_search_vector_idx ON crm_clients USING GIN (search_vector)'
        )
        await db.rawQuery(
          'CREATE INDEX crm_clients_search_trgm_idx ON crm_clients USING GIN (search_text gin_trgm_ops)'
        )
        return
      }
      await db.rawQuery(
        `CREATE VIRTUAL TABLE crm_clients_fts USING fts5(
           search_text, content='crm_clients', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')`
      )
      await db.rawQuery(
        `CREATE VIRTUAL TABLE crm_clients_trigram USING fts5(
           search_text, content='crm_clients', content_rowid='id', tokenize='trigram')`
      )
      for (const table of ['crm_clients_fts', 'crm_clients_trigram']) {
        await db.rawQuery(
          `CREATE TRIGGER ${table}_ai AFTER INSERT ON crm_clients BEGIN
             INSERT INTO ${table}(rowid, search_text) VALUES (new.id, new.search_text);
           END`
        )
        await db.rawQuery(
          `CREATE TRIGGER ${table}_ad AFTER DELETE ON crm_clients BEGIN
             INSERT INTO ${table}(${table}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
           END`
        )
        await db.rawQuery(
          `CREATE TRIGGER ${table}_au AFTER UPDATE OF search_text ON crm_clients BEGIN
             INSERT INTO ${table}(${table}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
             INSERT INTO ${table}(rowid, search_text) VALUES (new.id, new.search_text);
           END`
        )
      }
    })
  }

  async down() {
    this.defer(async (db) => {
      if (this.db.dialect.name === 'postgres') {
        await db.rawQuery('DROP INDEX IF EXISTS crm_clients_search_trgm_idx')
        await db.rawQuery('DROP INDEX IF EXISTS crm_clients_search_vector_idx')
        await db.rawQuery('ALTER TABLE crm_clients DROP COLUMN IF EXISTS search_vector')
        return
      }
      for (const table of ['crm_clients_fts', 'crm_clients_trigram']) {
        for (const suffix of ['ai', 'ad', 'au']) {
          await db.rawQuery(`DROP TRIGGER IF EXISTS ${table}_${suffix}`)
        }
        await db.rawQuery(`DROP TABLE IF EXISTS ${table}`)
      }
    })
  }
}
