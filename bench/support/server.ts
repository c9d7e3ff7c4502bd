/*
 * Helpers shared by benchmarks that drive the app over HTTP: a free port, the
 * app server started as in production on the bench's database, waiting for
 * /health/live, stopping it, and latency percentiles. (bench/run.ts runs only
 * top-level bench/*.ts files, so nothing here runs as a benchmark.)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

export const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const HOST = '127.0.0.1'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/* `node ace migration:run --force` on the environment's database (kernel and plugins). */
export function migrate(env: NodeJS.ProcessEnv = process.env) {
  const migrated = spawnSync(process.execPath, ['ace', 'migration:run', '--force'], {
    cwd: APP_ROOT,
    env,
    encoding: 'utf8',
  })
  if (migrated.status !== 0)
    throw new Error(`migrations failed:\n${migrated.stdout}${migrated.stderr}`)
}

export async function waitUntilLive(base: string, server: ChildProcess, seconds = 120) {
  for (let attempt = 0; attempt < seconds * 4; attempt++) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`)
    try {
      const live = await fetch(`${base}/health/live`)
      if (live.ok) return
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  server.kill('SIGKILL')
  throw new Error(`the server did not answer /health/live within ${seconds} s`)
}

/* The app server as in production (NODE_ENV=production, warn logs, API rate limit raised for the bench). */
export async function startServer(env: NodeJS.ProcessEnv = process.env) {
  const port = await freePort()
  const server = spawn(
    process.execPath,
    ['--import=ts-node-maintained/register/esm', 'bin/server.ts'],
    {
      cwd: APP_ROOT,
      env: {
        ...env,
        NODE_ENV: 'production',
        HOST,
        PORT: String(port),
        LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
        API_RATE_LIMIT: '100000000',
      },
      stdio: ['ignore', env.BENCH_SERVER_LOG ? 'inherit' : 'ignore', 'inherit'],
    }
  )
  const base = `http://${HOST}:${port}`
  await waitUntilLive(base, server)
  return { server, base }
}

export async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((resolve) => server.once('exit', resolve))
  server.kill('SIGTERM')
  if (!(await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]))) {
    server.kill('SIGKILL')
    await exited
  }
}

/* The value at percentile p (0-100) of ascending timings. */
export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0

export type Throughput = { rate: number; p50: number; p95: number; done: number; errors: number }

/*
 * Runs `work` in `clients` concurrent loops for `seconds`; counts what
 * finished, its rate per second and latency percentiles (ms).
 */
export async function closedLoop(
  clients: number,
  seconds: number,
  work: (client: number, n: number) => Promise<void>
): Promise<Throughput> {
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const until = started + seconds * 1000
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < until; n++) {
        const t0 = performance.now()
        try {
          await work(client, n)
          latencies.push(performance.now() - t0)
        } catch (error) {
          errors++
          if (errors <= 3) console.error(error)
        }
      }
    })
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    rate: Math.round((latencies.length / elapsed) * 10) / 10,
    p50: +percentile(latencies, 50).toFixed(2),
    p95: +percentile(latencies, 95).toFixed(2),
    done: latencies.length,
    errors,
  }
}
