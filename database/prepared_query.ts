import db from '@adonisjs/lucid/services/db'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'

type Build = (
  query: DatabaseQueryBuilderContract<any>,
  ...params: string[]
) => DatabaseQueryBuilderContract<any>

type Compiled = { sql: string; knexSql: string; order: number[] }

/*
 * A read on the hot path of every request (API authentication), compiled
 * once instead of per call. The query builder writes the SQL at first use;
 * after that each call skips the builder and the database's parse:
 * better-sqlite3 keeps the prepared statement per connection, PostgreSQL a
 * named server-side prepared statement. Other dialects fall back to a raw
 * query with the compiled SQL. Lucid's query events do not fire for it.
 *
 * `build` receives one placeholder per parameter; pass the real values, in
 * the same order, to `first()`.
 */
export function preparedQuery<Row>(name: string, arity: number, build: Build) {
  let compiled: Compiled | undefined
  const statements = new WeakMap<object, { get(values: unknown[]): unknown }>()

  function compile(): Compiled {
    const placeholders = Array.from({ length: arity }, (_, i) => `__prepared_${name}_${i}__`)
    const query = build(db.query(), ...placeholders)
    const native = query.toSQL().toNative()
    const order = native.bindings.map((binding) => {
      const index = placeholders.indexOf(binding as string)
      if (index < 0)
        throw new Error(`Prepared query "${name}" has a binding that is not a parameter`)
      return index
    })
    return { sql: native.sql, knexSql: query.toSQL().sql, order }
  }

  return {
    async first(...params: unknown[]): Promise<Row | null> {
      compiled ??= compile()
      const values = compiled.order.map((index) => params[index])
      const client = db.connection()
      const knex = client.getReadClient()

      if (client.dialect.name !== 'better-sqlite3' && client.dialect.name !== 'postgres') {
        const rows = await knex.raw(compiled.knexSql, values as any[])
        return ((Array.isArray(rows) ? rows[0] : rows.rows?.[0]) ?? null) as Row | null
      }

      const connection = await knex.client.acquireConnection()
      try {
        if (client.dialect.name === 'postgres') {
          const result = await connection.query({ name, text: compiled.sql, values })
          return (result.rows[0] ?? null) as Row | null
        }
        let statement = statements.get(connection)
        if (!statement) {
          statement = connection.prepare(compiled.sql) as { get(values: unknown[]): unknown }
          statements.set(connection, statement)
        }
        return (statement.get(values) ?? null) as Row | null
      } finally {
        knex.client.releaseConnection(connection)
      }
    },
  }
}
