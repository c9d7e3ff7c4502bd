/*
 * bench/plugins.ts (`npm run bench -- plugins`):
 * 1. boot time (process start to the first answer of /health/live, production
 *    mode) with the first-party plugins, then with 10, 25 and 50 generated
 *    plugins added (scaffolded with make:plugin's stubs into a temporary
 *    folder), to show how boot time grows with the plugin count;
 * 2. requests/s of a plugin route (auth, rate limit, plugin gate, permission)
 *    against the same handler mounted with the same middleware but no plugin
 *    gate, on one server, in alternating rounds; the ratio is the median of
 *    the rounds' ratios (target: gating costs under 10%).
 * Tunables: BENCH_DURATION (seconds per route, default 10), BENCH_ROUNDS
 * (default 5), BENCH_CONNECTIONS (default 20), BENCH_BOOTS (boots per size, default 3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
// @ts-expect-error plain JavaScript helper shared with `npm start`
import { ensureEnv } from '../bin/ensure-env.js'
import { pluginNames, renderStub } from '../commands/make_plugin.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const BOOTS = Number(process.env.BENCH_BOOTS ?? 3)
const SIZES = [10, 25, 50]
const HOST = '127.0.0.1'
const WORK = `tmp/bench-plugins-${process.pid}`

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function serverEnv(port: number, extra: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST,
    PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    API_RATE_LIMIT: '100000000',
    PLINTH_PLUGINS_EXTRA: extra.join(','),
  }
  if ((process.env.DB_CONNECTION ?? 'sqlite') === 'sqlite') {
    env.SQLITE_PATH = `${ROOT}tmp/bench-plugins.sqlite3`
  }
  return env
}

function startServer(env: NodeJS.ProcessEnv) {
  return spawn(process.execPath, ['--import=ts-node-maintained/register/esm', 'bin/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

async function waitUntilLive(base: string, server: ChildProcess) {
  for (let attempt = 0; attempt < 2400; attempt++) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`)
    try {
      const response = await fetch(`${base}/health/live`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await sleep(25)
  }
  throw new Error('the server did not answer /health/live within 60 s')
}

async function stop(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((resolve) => server.once('exit', resolve))
  server.kill('SIGTERM')
  const graceful = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])
  if (!graceful) {
    server.kill('SIGKILL')
    await exited
  }
}

/* Scaffolds `count` plugins with make:plugin's stubs; returns their folders (relative to the app root). */
function generatePlugins(count: number): string[] {
  const stubs = join(ROOT, 'commands/stubs/make_plugin')
  const folders: string[] = []
  for (let index = 0; index < count; index++) {
    const names = pluginNames(`bench-gen-${index}`)
    const folder = join(WORK, names.id)
    const files: [string, string][] = [
      ['plugin.ts.stub', 'plugin.ts'],
      ['model.ts.stub', `models/${names.model_file}.ts`],
      ['validator.ts.stub', `validators/${names.snake}_item_validator.ts`],
      ['controller.ts.stub', `controllers/${names.snake}_items_controller.ts`],
      ['migration.ts.stub', `database/migrations/0001_create_${names.table}.ts`],
      ['page.vue.stub', 'pages/index.vue'],
    ]
    for (const [stub, target] of files) {
      const path = join(ROOT, folder, target)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, renderStub(readFileSync(join(stubs, stub), 'utf8'), names))
    }
    folders.push(folder)
  }
  return folders
}

/*
 * The plugin measured in part 2: one route through the plugin group (gate
 * included), and the same handler mounted beside it with the same
 * middleware (auth, rate limit, permission) but no plugin gate.
 */
function writeGatePlugin(): string {
  const folder = join(WORK, 'bench-gate')
  mkdirSync(join(ROOT, folder), { recursive: true })
  writeFileSync(
    join(ROOT, folder, 'plugin.ts'),
    `import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttleApi } from '#start/limiter'
import '#http/openapi/route_docs'
import { definePlugin, resource, single } from '#plinth'

const handler = () => single(resource('bench-ping', '1', { ok: true }))
const doc = { summary: 'Bench ping', tag: 'Bench', resource: 'bench-ping', permission: 'bench-gate.read' }

export default definePlugin({
  id: 'bench-gate',
  name: 'Bench gate',
  version: '1.0.0',
  requires: { kernel: '^1.0.0' },
  permissions: [{ key: 'bench-gate.read', description: 'Bench', roles: ['admin'] }],
  routes(plugins) {
    plugins.get('/ping', handler).as('bench-gate.ping').describe(doc)
  },
})

router
  .group(() => {
    router.get('/api/v1/bench-ungated/ping', handler).describe(doc)
  })
  .use([middleware.apiAuth(), throttleApi])
`
  )
  return folder
}

async function api(base: string, path: string, init: RequestInit & { token?: string } = {}) {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  })
  return { status: response.status, body: (await response.json()) as any }
}

async function signupToken(base: string) {
  const id = Math.random().toString(36).slice(2, 10)
  const answer = await api(base, '/api/v1/signup', {
    method: 'POST',
    body: JSON.stringify({
      data: {
        attributes: {
          tenantName: `Bench ${id}`,
          tenantSlug: `bench-${id}`,
          fullName: 'Bench Owner',
          email: `bench-${id}@example.test`,
          password: 'bench-password-not-secret',
        },
      },
    }),
  })
  if (answer.status !== 201) throw new Error(`signup failed: ${JSON.stringify(answer.body)}`)
  return answer.body.meta.token.value as string
}

async function bootTime(extra: string[]) {
  const times: number[] = []
  for (let boot = 0; boot < BOOTS; boot++) {
    const port = await freePort()
    const started = performance.now()
    const server = startServer(serverEnv(port, extra))
    try {
      await waitUntilLive(`http://${HOST}:${port}`, server)
      times.push(performance.now() - started)
    } finally {
      await stop(server)
    }
  }
  return median(times)
}

function measure(url: string, token: string, duration: number) {
  return autocannon({
    url,
    headers: { authorization: `Bearer ${token}` },
    connections: CONNECTIONS,
    duration,
  })
}

async function main() {
  ensureEnv()
  const database = process.env.DB_CONNECTION ?? 'sqlite'
  rmSync(join(ROOT, WORK), { recursive: true, force: true })
  const sqlite = serverEnv(0, []).SQLITE_PATH
  if (sqlite)
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlite}${suffix}`, { force: true })
  try {
    const gate = writeGatePlugin()
    const generated = generatePlugins(Math.max(...SIZES))
    const migrate = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], {
      cwd: ROOT,
      env: serverEnv(0, [gate, ...generated]),
      encoding: 'utf8',
    })
    if (migrate.status !== 0)
      throw new Error(`migrations failed:\n${migrate.stdout}${migrate.stderr}`)

    console.log(`Plinth plugins bench: ${database}, median of ${BOOTS} boots per size`)
    const baseline = await bootTime([])
    const boots = [{ plugins: 'first-party only', added: 0, ms: baseline }]
    for (const size of SIZES) {
      boots.push({
        plugins: `first-party + ${size} generated`,
        added: size,
        ms: await bootTime(generated.slice(0, size)),
      })
    }
    console.table(
      boots.map((entry) => ({
        'plugins': entry.plugins,
        'boot ms': Math.round(entry.ms),
        'vs first-party': (entry.ms / baseline).toFixed(2),
        'ms per added plugin': entry.added ? ((entry.ms - baseline) / entry.added).toFixed(1) : '-',
      }))
    )

    const port = await freePort()
    const server = startServer(serverEnv(port, [gate]))
    const base = `http://${HOST}:${port}`
    try {
      await waitUntilLive(base, server)
      const token = await signupToken(base)
      const enabled = await api(base, '/api/v1/plugins/bench-gate/enable', {
        method: 'POST',
        token,
        body: '{}',
      })
      if (enabled.status !== 200) throw new Error(`enable failed: ${JSON.stringify(enabled.body)}`)
      const gated = `${base}/api/v1/bench-gate/ping`
      const ungated = `${base}/api/v1/bench-ungated/ping`
      for (const url of [gated, ungated]) {
        const probe = await api(base, url.slice(base.length), { token })
        if (probe.status !== 200) throw new Error(`${url}: ${probe.status}`)
      }
      await measure(gated, token, 2)
      await measure(ungated, token, 2)

      const gatedRounds: autocannon.Result[] = []
      const ungatedRounds: autocannon.Result[] = []
      const seconds = Math.max(1, Math.round(DURATION / ROUNDS))
      for (let round = 0; round < ROUNDS; round++) {
        ungatedRounds.push(await measure(ungated, token, seconds))
        gatedRounds.push(await measure(gated, token, seconds))
      }
      const summary = (route: string, results: autocannon.Result[]) => ({
        'route': route,
        'req/s': Math.round(
          results.reduce((sum, result) => sum + result.requests.total, 0) /
            results.reduce((sum, result) => sum + result.duration, 0)
        ),
        'p50 ms': median(results.map((result) => result.latency.p50)),
        'p99 ms': median(results.map((result) => result.latency.p99)),
        'non-2xx': results.reduce((sum, result) => sum + result.non2xx, 0),
      })
      console.table([
        summary('GET /api/v1/bench-ungated/ping (no plugin gate)', ungatedRounds),
        summary('GET /api/v1/bench-gate/ping (plugin route)', gatedRounds),
      ])
      const ratios = gatedRounds.map(
        (result, round) => result.requests.average / ungatedRounds[round].requests.average
      )
      const ratio = median(ratios)
      console.log(
        `plugin route / ungated throughput: ${ratio.toFixed(3)} (gating costs ${((1 - ratio) * 100).toFixed(1)}%; median of ${ROUNDS} rounds: ${ratios.map((r) => r.toFixed(3)).join(', ')}; target: under 10%: ${ratio > 0.9 ? 'met' : 'NOT met'})`
      )
      if ([...gatedRounds, ...ungatedRounds].some((result) => result.non2xx || result.errors)) {
        console.error('Some requests failed: the figures above are not trustworthy')
        process.exitCode = 1
      }
    } finally {
      await stop(server)
    }
  } finally {
    rmSync(join(ROOT, WORK), { recursive: true, force: true })
  }
}

await main()
