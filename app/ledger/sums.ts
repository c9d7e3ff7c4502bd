import db from '@adonisjs/lucid/services/db'

/*
 * SQL for an exact sum of int8 amounts, read back as text by toBigInt().
 * PostgreSQL sums bigint into numeric, which cannot overflow. SQLite's SUM of
 * integers stops with "integer overflow" past int8, which in-range lines reach
 * easily (an account holding big amounts, or a partial sum in scan order), so
 * there each amount is split into its high 32 bits (arithmetic shift) and its
 * low 32 bits: neither sum can overflow below 2^31 lines, and toBigInt()
 * joins the two parts ("hi:lo" = hi * 2^32 + lo) exactly.
 * `over` is an optional window clause, e.g. "OVER (ORDER BY l.id)".
 */
export function sumOfAmounts(column: string, over = ''): string {
  if (db.connection().dialect.name === 'postgres') return `CAST(SUM(${column}) ${over} AS TEXT)`
  return `(CAST(SUM(${column} >> 32) ${over} AS TEXT) || ':' || CAST(SUM(${column} & 4294967295) ${over} AS TEXT))`
}
