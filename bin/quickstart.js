/*
 * `npm start`: one command from a fresh clone to a running Plinth.
 *   1. .env with a fresh APP_KEY when missing (bin/ensure-env.js)
 *   2. `node ace plinth:setup`: migrations, demo tenants (login printed), Vite bundle when stale
 *   3. the HTTP server, in this process, in production mode: it serves the
 *      built bundle from public/assets and starts no Vite dev server or watcher
 *      (`npm run dev` is the hot-reloading loop).
 * Extra arguments go to plinth:setup, e.g. `npm start -- --no-demo`.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ensureEnv } from './ensure-env.js'

const root = fileURLToPath(new URL('../', import.meta.url))

ensureEnv()

const setup = spawnSync(process.execPath, ['ace', 'plinth:setup', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
})
if (setup.status !== 0) {
  console.error('Setup failed; the server was not started.')
  process.exit(setup.status ?? 1)
}

process.env.NODE_ENV = 'production'
await import('ts-node-maintained/register/esm')
await import('./server.js')
