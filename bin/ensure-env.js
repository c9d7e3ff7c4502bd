/*
 * Creates .env from .env.example with a fresh APP_KEY when there is none, or
 * fills in an empty APP_KEY, and creates tmp/ (home of the SQLite files; not
 * in git). Plain JavaScript on purpose: it runs before the app can boot, since
 * booting validates APP_KEY.
 */
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const envFile = fileURLToPath(new URL('../.env', import.meta.url))
const exampleFile = fileURLToPath(new URL('../.env.example', import.meta.url))
const tmpDir = fileURLToPath(new URL('../tmp', import.meta.url))

export function ensureEnv() {
  mkdirSync(tmpDir, { recursive: true })
  let created = false
  if (!existsSync(envFile)) {
    copyFileSync(exampleFile, envFile)
    created = true
  }
  const text = readFileSync(envFile, 'utf8')
  const key = /^APP_KEY=(.*)$/m.exec(text)
  if (key && key[1].trim() !== '') {
    if (created) console.log('Created .env from .env.example')
    return
  }
  const line = `APP_KEY=${randomBytes(32).toString('base64url')}`
  writeFileSync(envFile, key ? text.replace(/^APP_KEY=.*$/m, line) : `${text.trimEnd()}\n${line}\n`)
  console.log(created ? 'Created .env with a fresh APP_KEY' : 'Generated a fresh APP_KEY in .env')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureEnv()
