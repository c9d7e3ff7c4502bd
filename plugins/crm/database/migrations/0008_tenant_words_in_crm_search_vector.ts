import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * PostgreSQL: each word of the search tsvector carries its tenant
 * ("6/johnson"), so a prefix query ("6/joh":*) walks only the tenant's own
 * words. The tenant-led index of 0006 still read every tenant's words under
 * a prefix before keeping the tenant's rows, so prefixes slowed down as
 * other tenants grew.
 * Also where letters meet digits the words are now split as 0004 meant to:
 * its pattern's "(?=" reached PostgreSQL as "($1=" (knex reads "?" in raw
 * SQL as a placeholder), so "lewis70992" stayed one word. Here "\?" keeps it.
 * SQLite (FTS5, tenant column of 0007) is unchanged.
 */
const WORDS = String.raw`regexp_replace(regexp_replace(search_text, '[@.+_-]', ' ', 'g'), '([[:alpha:]](\?=[[:digit:]])|[[:digit:]](\?=[[:alpha:]]))', '\1 ', 'g')`
const BROKEN_WORDS = String.raw`regexp_replace(regexp_replace(search_text, '[@.+_-]', ' ', 'g'), '([[:alpha:]]($1=[[:digit:]])|[[:digit:]]($2=[[:alpha:]]))', '\1 ', 'g')`

export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      if (this.db.dialect.name !== 'postgres') return
      await db.rawQuery(
        `CREATE FUNCTION crm_tenant_words(tenant integer, words tsvector) RETURNS tsvector
         LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
         AS $$ SELECT array_to_tsvector(ARRAY(SELECT tenant || '/' || lexeme FROM unnest(words))) $$`
      )
      await db.rawQuery('DROP INDEX IF EXISTS crm_clients_tenant_search_vector_idx')
      await db.rawQuery('ALTER TABLE crm_clients DROP COLUMN search_vector')
      await db.rawQuery(
        `ALTER TABLE crm_clients ADD COLUMN search_vector tsvector
         GENERATED ALWAYS AS (crm_tenant_words(tenant_id, to_tsvector('simple', ${WORDS}))) STORED`
      )
      await db.rawQuery(
        'CREATE INDEX crm_clients_search_vector_idx ON crm_clients USING GIN (search_vector)'
      )
    })
  }

  async down() {
    this.defer(async (db) => {
      if (this.db.dialect.name !== 'postgres') return
      await db.rawQuery('DROP INDEX IF EXISTS crm_clients_search_vector_idx')
      await db.rawQuery('ALTER TABLE crm_clients DROP COLUMN search_vector')
      // as 0004 and 0006 left it
      await db.rawQuery(
        `ALTER TABLE crm_clients ADD COLUMN search_vector tsvector
         GENERATED ALWAYS AS (to_tsvector('simple', ${BROKEN_WORDS})) STORED`
      )
      await db.rawQuery(
        'CREATE INDEX crm_clients_tenant_search_vector_idx ON crm_clients USING GIN (tenant_id, search_vector)'
      )
      await db.rawQuery('DROP FUNCTION crm_tenant_words(integer, tsvector)')
    })
  }
}
