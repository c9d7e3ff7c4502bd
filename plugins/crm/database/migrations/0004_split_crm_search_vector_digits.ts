import { BaseSchema } from '@adonisjs/lucid/schema'

const SEPARATORS = `regexp_replace(search_text, '[@.+_-]', ' ', 'g')`

/*
 * PostgreSQL: the search tsvector also splits words where letters meet digits
 * ("smith84" → "smith", "84"). Email local parts otherwise give nearly every
 * client a word of its own, and a short prefix ("mar:*") then walks thousands
 * of index entries; split, it walks a handful. SQLite (FTS5) is unchanged.
 * As written it never split anything: knex turned "(?=" into "($1=". Kept
 * as it ran; migration 0008 does the split.
 */
export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      if (this.db.dialect.name !== 'postgres') return
      await this.replaceVector(
        db,
        `regexp_replace(${SEPARATORS}, '([[:alpha:]](?=[[:digit:]])|[[:digit:]](?=[[:alpha:]]))', '\\1 ', 'g')`
      )
    })
  }

  async down() {
    this.defer(async (db) => {
      if (this.db.dialect.name !== 'postgres') return
      await this.replaceVector(db, SEPARATORS)
    })
  }

  private async replaceVector(db: any, text: string) {
    await db.rawQuery('DROP INDEX IF EXISTS crm_clients_search_vector_idx')
    await db.rawQuery('ALTER TABLE crm_clients DROP COLUMN IF EXISTS search_vector')
    await db.rawQuery(
      `ALTER TABLE crm_clients ADD COLUMN search_vector tsvector
       GENERATED ALWAYS AS (to_tsvector('simple', ${text})) STORED`
    )
    await db.rawQuery(
      'CREATE INDEX crm_clients_search_vector_idx ON crm_clients USING GIN (search_vector)'
    )
  }
}
