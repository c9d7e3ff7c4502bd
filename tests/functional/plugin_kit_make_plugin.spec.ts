import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { ace as run, childDatabase, freePort } from './plugin_kit_child_run.js'

/*
 * `node ace make:plugin` end to end: the scaffold is generated into a
 * temporary folder under tmp/ (never into plugins/), then its own test runs in
 * a child `node ace test` that loads it (PLINTH_PLUGINS_EXTRA) on a database
 * of its own, and passes as generated. Sabotaging the scaffold makes the
 * test kit fail, naming what is wrong.
 */

test.group('node ace make:plugin', () => {
  test('scaffolds a plugin that passes its own test kit run, and the kit catches a broken one', async ({
    assert,
  }) => {
    const id = `gen-${randomBytes(3)
      .toString('hex')
      .replace(/^[0-9]/, 'a')}`
    const folder = `tmp/make-plugin-${randomBytes(4).toString('hex')}`
    const root = join(folder, id)
    const database = await childDatabase('make')
    try {
      const made = await run(['make:plugin', id, `--dir=${folder}`], {})
      assert.equal(made.code, 0, made.output)
      const snake = id.replace(/-/g, '_')
      for (const file of [
        'plugin.ts',
        `models/${snake}_item.ts`,
        `controllers/${snake}_items_controller.ts`,
        `database/migrations/0001_create_${snake}_items.ts`,
        'pages/index.vue',
        `tests/${snake}.spec.ts`,
      ]) {
        assert.isTrue(existsSync(app.makePath(root, file)), `${file} generated`)
      }
      const again = await run(['make:plugin', id, `--dir=${folder}`], {})
      assert.notEqual(again.code, 0, 'a second run refuses to overwrite')
      const reserved = await run(['make:plugin', 'members', `--dir=${folder}`], {})
      assert.notEqual(reserved.code, 0)
      assert.include(reserved.output, 'reserved')

      const spec = join(root, 'tests', `${snake}.spec.ts`)
      const childEnv = async () => ({
        ...database.env,
        NODE_ENV: 'test',
        PORT: String(await freePort()),
        PLINTH_PLUGINS_EXTRA: root,
        PLINTH_PLUGIN_TESTS: spec,
      })
      const passing = await run(['test', 'functional', `--files=${spec}`], await childEnv())
      assert.equal(passing.code, 0, passing.output.slice(-4000))
      assert.match(passing.output, /Tests\s+5 passed \(5\)/)

      // break it: a route without its permission, a down() that leaves a table
      const manifest = app.makePath(root, 'plugin.ts')
      const source = await readFile(manifest, 'utf8')
      const unguarded = source.replace(
        /(summary: 'Show a [^']*',[\s\S]*?)\n\s*permission: '[^']*',/,
        '$1'
      )
      assert.notEqual(unguarded, source)
      await writeFile(manifest, unguarded)
      const migration = app.makePath(root, `database/migrations/0001_create_${snake}_items.ts`)
      const schema = await readFile(migration, 'utf8')
      // a down() that leaves a table behind (without foreign keys, so the run's own teardown can still reset)
      const leaky = schema.replace(
        /this\.schema\.dropTable\(('[^']*')\)/,
        "$&\n    this.schema.createTable($1, (table) => table.increments('id'))"
      )
      assert.notEqual(leaky, schema)
      await writeFile(migration, leaky)
      const failing = await run(['test', 'functional', `--files=${spec}`], await childEnv())
      assert.notEqual(failing.code, 0)
      assert.include(failing.output, 'GET /items/:id declares no permission')
      assert.include(failing.output, 'down removed no table')
    } finally {
      await rm(app.makePath(folder), { recursive: true, force: true })
      await database.drop()
    }
  }).timeout(300_000)
})
