import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * PostgreSQL: the search GIN indexes lead with tenant_id (btree_gin), so a
 * search reads the current tenant's entries instead of every tenant's and
 * filtering afterwards: its cost no longer grows with other tenants' clients.
 * SQLite (FTS5) is unchanged.
 */
const INDEXES = [
  {
    old: 'crm_clients_search_vector_idx',
    new: 'crm_clients_tenant_search_vector_idx',
    on: 'search_vector',
  },
  {
    old: 'crm_clients_search_trgm_idx',
    new: 'crm_clients_tenant_search_trgm_idx',
    on: 'search_text gin_trgm_ops',
  },
]

export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      if (this.db.dialect.name !== 'postgres') return
      // shared extension: created if missing, never dropped (others may use it)
      await db.rawQuery('CREATE EXTENSION IF NOT EXISTS btree_gin')
      for (const index of INDEXES) {
        await db.rawQuery(
          `CREATE INDEX ${index.new} ON crm_clients USING GIN (tenant_id, ${index.on})`
        )
        await db.rawQuery(`DROP INDEX IF EXISTS ${index.old}`)
      }
    })
  }

  async down() {
    this.defer(async (db) => {
      if (this.db.dialect.name !== 'postgres') return
      for (const index of INDEXES) {
        await db.rawQuery(`CREATE INDEX ${index.old} ON crm_clients USING GIN (${index.on})`)
        await db.rawQuery(`DROP INDEX IF EXISTS ${index.new}`)
      }
    })
  }
}
