import { MigrationRunner } from '@adonisjs/lucid/migration'
import type { Database } from '@adonisjs/lucid/database'
import type { ApplicationService } from '@adonisjs/core/types'
import { diffSnapshots, schemaSnapshot } from '#plugins/schema_snapshot'

export type MigrationCheckResult = {
  connection: string
  migrations: number
  /* tables still there after rolling everything back */
  leftovers: string[]
  /* schema lines that differ between the first and the second "up" */
  differences: string[]
  ok: boolean
}

async function migrate(db: Database, app: ApplicationService, direction: 'up' | 'down') {
  const runner = new MigrationRunner(db, app, {
    direction,
    ...(direction === 'down' ? { batch: 0 } : {}),
    dryRun: false,
  })
  await runner.run()
  if (runner.error) throw runner.error
  return Object.keys(runner.migratedFiles).length
}

/*
 * The round trip every migration must survive, kernel and plugins alike: up,
 * down to zero (every `down` runs), up again, and the schema after must equal
 * the schema before. Destroys the data of the database it runs on.
 */
export async function checkMigrationRoundTrip(
  db: Database,
  app: ApplicationService
): Promise<MigrationCheckResult> {
  const client = db.connection()
  await migrate(db, app, 'up')
  const before = await schemaSnapshot(client)
  const migrations = await migrate(db, app, 'down')
  const emptied = await schemaSnapshot(client)
  const leftovers = Object.keys(emptied.tables)
  if (leftovers.length) {
    // the next "up" would collide with them: report what the downs forgot
    return { connection: client.connectionName, migrations, leftovers, differences: [], ok: false }
  }
  await migrate(db, app, 'up')
  const after = await schemaSnapshot(client)
  const differences = diffSnapshots(before, after)
  return {
    connection: client.connectionName,
    migrations,
    leftovers,
    differences,
    ok: leftovers.length === 0 && differences.length === 0,
  }
}
