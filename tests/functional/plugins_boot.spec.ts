import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import app from '@adonisjs/core/services/app'
import { unique } from '#tests/helpers'
import { defineConfig } from '#plugins/define_config'
import { loadPluginSources } from '#plugins/loader'
import { buildRegistry, PluginBootError } from '#plugins/registry'

const appRoot = fileURLToPath(app.appRoot)
const fixtures = (...names: string[]) => names.map((name) => `tests/fixtures/plugins/${name}`)

async function bootWith(...names: string[]) {
  const config = defineConfig({ directory: 'no-such-folder', extra: fixtures(...names) })
  try {
    buildRegistry(await loadPluginSources(config, appRoot))
  } catch (error) {
    if (error instanceof PluginBootError) return error
    throw error
  }
  throw new Error('expected boot to fail')
}

test.group('Plugin boot: bad plugins fail it with a named error', () => {
  test('a broken manifest names the plugin, its file and each field', async ({ assert }) => {
    const error = await bootWith('notes', 'broken')
    assert.include(error.message, 'Plugin "broken" (tests/fixtures/plugins/broken/plugin.ts)')
    assert.include(error.message, '/version: must match format "semver"')
    assert.include(error.message, '/capabilities/0: is not a capability the kernel knows')
  })

  test('a dependency cycle is named as a chain', async ({ assert }) => {
    const error = await bootWith('cycle-a', 'cycle-b')
    assert.include(error.message, 'Dependency cycle: cycle-a → cycle-b → cycle-a')
  })

  test('an id clash names both sources; a missing dependency names it', async ({ assert }) => {
    const clash = await bootWith('notes', 'clash')
    assert.include(
      clash.message,
      'Plugin id "notes" is declared twice: by tests/fixtures/plugins/notes/plugin.ts and by tests/fixtures/plugins/clash/plugin.ts'
    )
    const missing = await bootWith('notes-plus')
    assert.include(missing.message, 'requires plugin "notes" (^1.0.0), which is not installed')
  })

  test('the fixture set boots in dependency order', async ({ assert }) => {
    const config = defineConfig({
      directory: 'no-such-folder',
      extra: fixtures('notes-plus', 'notes'),
    })
    const registry = buildRegistry(await loadPluginSources(config, appRoot))
    assert.deepEqual(
      registry.all().map((plugin) => plugin.id),
      ['notes', 'notes-plus']
    )
    assert.equal(registry.get('notes')!.root, join(appRoot, 'tests/fixtures/plugins/notes'))
  })

  test('the application refuses to start with a cycle and prints the chain', async ({ assert }) => {
    const file = join(appRoot, 'tmp', `boot-${unique()}.sqlite3`)
    const result = spawnSync(process.execPath, ['ace', 'plinth:plugin:upgrade'], {
      cwd: appRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DB_CONNECTION: 'sqlite',
        SQLITE_PATH: file,
        PLINTH_PLUGINS_EXTRA: fixtures('cycle-a', 'cycle-b').join(','),
      },
      timeout: 120_000,
    })
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
    const output = `${result.stdout}${result.stderr}`
    assert.notEqual(result.status, 0, output)
    assert.include(output.replace(/\s+/g, ' '), 'cycle-a → cycle-b → cycle-a')
  }).timeout(120_000)
})
