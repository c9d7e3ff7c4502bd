import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'

/*
 * For tests that boot another Plinth process (a generated or npm-installed
 * plugin is loaded at boot only): a free port, `node ace ...` with extra env,
 * and a database the child owns so its plugin tables and migration rows never
 * reach this run's database.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export function ace(args: string[], env: Record<string, string> = {}, timeoutMs = 180_000) {
  return command(process.execPath, ['ace', ...args], env, timeoutMs)
}

/* Runs a command to its end; past the timeout its whole process group is killed (code null). */
export function command(
  file: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 180_000
) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(file, args, {
      cwd: app.makePath(),
      env: { ...process.env, ...env },
      detached: true,
    })
    let output = ''
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]`
      process.kill(-child.pid!, 'SIGKILL')
    }, timeoutMs)
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

export type ChildDatabase = { env: Record<string, string>; drop: () => Promise<void> }

/* A SQLite file, or a fresh PostgreSQL database when this run is on PostgreSQL. */
export async function childDatabase(label: string): Promise<ChildDatabase> {
  const name = `plinth_${label}_${randomBytes(4).toString('hex')}`
  if (db.connection().dialect.name === 'postgres') {
    await db.rawQuery(`CREATE DATABASE ${name}`)
    return {
      env: { PG_DB_NAME: name, QUEUE_PREFIX: name },
      drop: async () => {
        await db.rawQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      },
    }
  }
  const file = `/tmp/${name}.sqlite3`
  return {
    env: { SQLITE_PATH: file, QUEUE_PREFIX: name },
    drop: async () => {
      await Promise.all(
        ['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true }))
      )
    },
  }
}
