import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const RESULT_FILE = 'BENCH_RESULT_FILE'

/*
 * A bench that covers both databases runs its own file once per database,
 * each in a fresh process (one app per connection): SQLite, then PostgreSQL
 * when PG_HOST is set, or only DB_CONNECTION when that is given. In the
 * parent this prints every child's rows in one table and exits; in a child it
 * returns, and the bench goes on and ends with reportRows().
 */
export function runOncePerDatabase(title: string, benchUrl: string) {
  if (process.env[RESULT_FILE]) return
  const databases = process.env.DB_CONNECTION
    ? [process.env.DB_CONNECTION]
    : ['sqlite', ...(process.env.PG_HOST ? ['pg'] : [])]
  if (!databases.includes('pg'))
    console.log(`${title}: PostgreSQL skipped (set PG_HOST and PG_DB_NAME to include it)`)
  const folder = mkdtempSync(join(tmpdir(), 'bench-'))
  const rows: unknown[] = []
  let failed = false
  for (const connection of databases) {
    const resultFile = join(folder, `${connection}.json`)
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(benchUrl)], {
      stdio: 'inherit',
      env: { ...process.env, DB_CONNECTION: connection, [RESULT_FILE]: resultFile },
    })
    if (child.status !== 0) failed = true
    else rows.push(...JSON.parse(readFileSync(resultFile, 'utf8')))
  }
  rmSync(folder, { recursive: true, force: true })
  console.log(`\n${title}, every database:`)
  console.table(rows)
  process.exit(failed ? 1 : 0)
}

/* In a child: hands its rows to the parent's table. */
export function reportRows(rows: unknown[]) {
  writeFileSync(process.env[RESULT_FILE]!, JSON.stringify(rows))
}
