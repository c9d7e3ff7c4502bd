import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/* Lucid's bookkeeping tables: not part of the application schema. */
const BOOKKEEPING = new Set(['adonis_schema', 'adonis_schema_versions'])

export type SchemaSnapshot = {
  tables: Record<string, { columns: string[]; indexes: string[] }>
}

async function sqliteSnapshot(client: QueryClientContract): Promise<SchemaSnapshot> {
  const tables = await client.rawQuery(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"
  )
  const snapshot: SchemaSnapshot = { tables: {} }
  for (const { name } of tables as { name: string }[]) {
    if (BOOKKEEPING.has(name)) continue
    const columns = (await client.rawQuery(`select * from pragma_table_info(?)`, [name])) as any[]
    const indexes = (await client.rawQuery(`select * from pragma_index_list(?)`, [name])) as any[]
    const described: string[] = []
    for (const index of indexes) {
      const parts = (await client.rawQuery(`select name from pragma_index_info(?) order by seqno`, [
        index.name,
      ])) as any[]
      // auto-named indexes (sqlite_autoindex_*) are numbered by creation order: compare their shape
      const label = String(index.name).startsWith('sqlite_autoindex_') ? '(auto)' : index.name
      described.push(
        `${label} ${index.unique ? 'unique ' : ''}(${parts.map((part) => part.name).join(', ')})`
      )
    }
    const foreignKeys = (await client.rawQuery(`select * from pragma_foreign_key_list(?)`, [
      name,
    ])) as any[]
    snapshot.tables[name] = {
      columns: [
        ...columns.map(
          (column) =>
            `${column.name} ${column.type}${column.notnull ? ' not null' : ''}${
              column.dflt_value !== null ? ` default ${column.dflt_value}` : ''
            }${column.pk ? ' pk' : ''}`
        ),
        ...foreignKeys.map(
          (key) => `fk ${key.from} -> ${key.table}.${key.to} on delete ${key.on_delete}`
        ),
      ].sort(),
      indexes: described.sort(),
    }
  }
  return snapshot
}

async function pgSnapshot(client: QueryClientContract): Promise<SchemaSnapshot> {
  const rows = async (sql: string) => {
    const result = await client.rawQuery(sql)
    return result.rows as any[]
  }
  const columns = await rows(
    `select table_name, column_name, data_type, is_nullable, column_default, character_maximum_length
       from information_schema.columns where table_schema = current_schema()
       order by table_name, column_name`
  )
  const indexes = await rows(
    `select tablename, indexname, indexdef from pg_indexes where schemaname = current_schema()`
  )
  const constraints = await rows(
    `select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as def
       from pg_constraint where connamespace = current_schema()::regnamespace`
  )
  const snapshot: SchemaSnapshot = { tables: {} }
  const table = (name: string) => (snapshot.tables[name] ??= { columns: [], indexes: [] })
  for (const column of columns) {
    if (BOOKKEEPING.has(column.table_name)) continue
    table(column.table_name).columns.push(
      `${column.column_name} ${column.data_type}${column.character_maximum_length ? `(${column.character_maximum_length})` : ''}${
        column.is_nullable === 'NO' ? ' not null' : ''
      }${column.column_default !== null ? ` default ${column.column_default}` : ''}`
    )
  }
  for (const index of indexes) {
    if (BOOKKEEPING.has(index.tablename)) continue
    table(index.tablename).indexes.push(index.indexdef)
  }
  for (const constraint of constraints) {
    const name = String(constraint.table_name).replace(/^"|"$/g, '')
    if (BOOKKEEPING.has(name)) continue
    table(name).columns.push(`constraint ${constraint.conname} ${constraint.def}`)
  }
  for (const entry of Object.values(snapshot.tables)) {
    entry.columns.sort()
    entry.indexes.sort()
  }
  return snapshot
}

/* Tables, columns (type, null, default), keys and indexes of the connected database. */
export function schemaSnapshot(client: QueryClientContract): Promise<SchemaSnapshot> {
  return client.dialect.name === 'postgres' ? pgSnapshot(client) : sqliteSnapshot(client)
}

/* Lines that differ between two snapshots, "-" only in before, "+" only in after. */
export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): string[] {
  const lines = (snapshot: SchemaSnapshot) =>
    new Set(
      Object.entries(snapshot.tables).flatMap(([name, table]) => [
        `table ${name}`,
        ...table.columns.map((column) => `${name}: column ${column}`),
        ...table.indexes.map((index) => `${name}: index ${index}`),
      ])
    )
  const a = lines(before)
  const b = lines(after)
  return [
    ...[...a].filter((line) => !b.has(line)).map((line) => `- ${line}`),
    ...[...b].filter((line) => !a.has(line)).map((line) => `+ ${line}`),
  ].sort()
}
