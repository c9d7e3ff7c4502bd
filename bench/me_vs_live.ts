/*
 * `npm run bench`: authenticated GET /api/v1/me against the bare /health/live,
 * measured in the same run on the same server process, on whichever database
 * DB_CONNECTION names (SQLite: a throw-away file in tmp/).
 *
 * The server is started as in production (`NODE_ENV=production`, built code
 * paths, info-level JSON access logs to /dev/null) with the API rate limit
 * raised for this process only. The two routes are measured in alternating
 * rounds and the ratio is the median of the rounds' ratios, so a burst of
 * other work on the machine skews one round rather than one route.
 * Tunables: BENCH_DURATION (seconds per route, default 10), BENCH_ROUNDS
 * (default 5), BENCH_CONNECTIONS (default 20).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
// @ts-expect-error plain JavaScript helper shared with `npm start`
import { ensureEnv } from '../bin/ensure-env.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DURATION = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const HOST = '127.0.0.1'

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

function serverEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST,
    PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    API_RATE_LIMIT: '100000000',
  }
  if ((process.env.DB_CONNECTION ?? 'sqlite') === 'sqlite') {
    env.SQLITE_PATH = `${ROOT}tmp/bench.sqlite3`
  }
  return env
}

async function waitUntilLive(base: string, server: ChildProcess) {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`)
    try {
      const response = await fetch(`${base}/health/live`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  throw new Error('the server did not answer /health/live within 60 s')
}

/* SIGTERM is a graceful stop; a server still there after 10 s is killed so the bench never leaves one behind. */
async function stop(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((resolve) => server.once('exit', resolve))
  server.kill('SIGTERM')
  const graceful = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])
  if (!graceful) {
    console.error('The server did not stop within 10 s of SIGTERM; killing it')
    server.kill('SIGKILL')
    await exited
  }
}

async function signupToken(base: string) {
  const id = Math.random().toString(36).slice(2, 10)
  const response = await fetch(`${base}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
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
  const body = (await response.json()) as { meta?: { token?: { value?: string } } }
  const token = body.meta?.token?.value
  if (response.status !== 201 || !token) {
    throw new Error(`signup failed: ${response.status} ${JSON.stringify(body)}`)
  }
  return token
}

function measure(url: string, headers: Record<string, string>, duration: number) {
  return autocannon({ url, headers, connections: CONNECTIONS, duration })
}

type Row = { route: string; rps: number; p50: number; p99: number; non2xx: number; errors: number }

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/* One route over all rounds: throughput summed over time, latencies as the median round's. */
function row(route: string, results: autocannon.Result[]): Row {
  const seconds = results.reduce((sum, result) => sum + result.duration, 0)
  const requests = results.reduce((sum, result) => sum + result.requests.total, 0)
  return {
    route,
    rps: Math.round(requests / seconds),
    p50: median(results.map((result) => result.latency.p50)),
    p99: median(results.map((result) => result.latency.p99)),
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  }
}

async function main() {
  ensureEnv()
  const port = await freePort()
  const env = serverEnv(port)
  if (env.SQLITE_PATH) {
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(`${env.SQLITE_PATH}${suffix}`, { force: true })
  }

  const database = process.env.DB_CONNECTION ?? 'sqlite'
  console.log(
    `Plinth bench: ${database}, ${CONNECTIONS} connections, ${DURATION} s per route in ${ROUNDS} alternating rounds`
  )
  const migrate = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (migrate.status !== 0) throw new Error('migrations failed')

  const server = spawn(
    process.execPath,
    ['--import=ts-node-maintained/register/esm', 'bin/server.ts'],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] }
  )
  const base = `http://${HOST}:${port}`
  try {
    await waitUntilLive(base, server)
    const auth = { authorization: `Bearer ${await signupToken(base)}` }

    // warm-up: JIT, connection pools, caches
    await measure(`${base}/health/live`, {}, 2)
    await measure(`${base}/api/v1/me`, auth, 2)

    const liveRounds: autocannon.Result[] = []
    const meRounds: autocannon.Result[] = []
    const roundSeconds = Math.max(1, Math.round(DURATION / ROUNDS))
    for (let round = 0; round < ROUNDS; round++) {
      liveRounds.push(await measure(`${base}/health/live`, {}, roundSeconds))
      meRounds.push(await measure(`${base}/api/v1/me`, auth, roundSeconds))
    }
    const live = row('GET /health/live', liveRounds)
    const me = row('GET /api/v1/me (bearer)', meRounds)

    console.table(
      [live, me].map((r) => ({
        'route': r.route,
        'req/s': r.rps,
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        'non-2xx': r.non2xx,
        'errors': r.errors,
      }))
    )
    const ratios = meRounds.map(
      (result, round) => result.requests.average / liveRounds[round].requests.average
    )
    const ratio = median(ratios)
    console.log(
      `me / live throughput: ${ratio.toFixed(2)} (median of ${ROUNDS} rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}; target >= 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`
    )
    if (me.non2xx || me.errors || live.non2xx || live.errors) {
      console.error('Some requests failed: the figures above are not trustworthy')
      process.exitCode = 1
    }
  } finally {
    await stop(server)
  }
}

await main()
