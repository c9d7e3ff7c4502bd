/*
 * `npm run bench [name ...]`: runs every benchmark in bench/ one after the
 * other (each in its own process, so one's warm caches do not flatter the
 * next), or only those named: `npm run bench -- ledger jobs`.
 * Benchmarks use whichever database DB_CONNECTION names.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url))

const available = readdirSync(BENCH_DIR)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => basename(file, '.ts'))
  .sort()

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !available.includes(name))
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')} (available: ${available.join(', ')})`)
  process.exit(2)
}

const failed: string[] = []
for (const name of wanted.length ? wanted : available) {
  console.log(`\n=== bench/${name}.ts ===`)
  const result = spawnSync(
    process.execPath,
    ['--import=ts-node-maintained/register/esm', `bench/${name}.ts`],
    { cwd: ROOT, stdio: 'inherit', env: process.env }
  )
  if (result.status !== 0) failed.push(name)
}

if (failed.length) {
  console.error(`\nBenchmarks that failed: ${failed.join(', ')}`)
  process.exit(1)
}
