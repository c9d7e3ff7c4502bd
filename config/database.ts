import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import { pluginMigrationPaths } from '#plugins/migration_paths'

/*
 * Embedded default: one SQLite file (WAL, foreign keys on).
 * Production: DB_CONNECTION=pg with the usual PG_* variables.
 */
const sqliteFile = env.get('SQLITE_PATH', app.tmpPath(app.inTest ? 'test.sqlite3' : 'db.sqlite3'))

/* the kernel's migrations, then each plugin's folder in dependency order (known after boot) */
const migrations = {
  naturalSort: true,
  get paths() {
    return ['database/migrations', ...pluginMigrationPaths]
  },
}

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: { filename: sqliteFile },
      useNullAsDefault: true,
      pool: {
        afterCreate(connection: any, done: (error: Error | null, connection: any) => void) {
          connection.pragma('journal_mode = WAL')
          connection.pragma('foreign_keys = ON')
          connection.pragma('busy_timeout = 5000')
          connection.pragma('synchronous = NORMAL')
          done(null, connection)
        },
      },
      migrations,
    },
    pg: {
      client: 'pg',
      connection: {
        host: env.get('PG_HOST', '127.0.0.1'),
        port: env.get('PG_PORT', 5432),
        user: env.get('PG_USER', 'postgres'),
        password: env.get('PG_PASSWORD', ''),
        database: env.get('PG_DB_NAME', 'plinth'),
      },
      pool: { min: 0, max: 10 },
      migrations,
    },
  },
})

export default dbConfig
