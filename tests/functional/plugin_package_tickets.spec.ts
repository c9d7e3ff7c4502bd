import { existsSync } from 'node:fs'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { ace, childDatabase, command, freePort } from './plugin_kit_child_run.js'

/*
 * A third-party plugin as an npm package, end to end: `npm pack` examples/tickets,
 * install the tarball into a temporary prefix under tmp/ (the app's
 * package.json and lock stay untouched), boot Plinth with it in a child
 * process (PLINTH_PLUGIN_PACKAGES / PLINTH_PLUGIN_PACKAGE_PATHS) on a database
 * of its own, migrate, and run plugin_package_tickets.inner.ts there: the test
 * kit plus its route, table, permission, page and job. No kernel file changes.
 */
const npm = (args: string[]) => command('npm', [...args, '--no-audit', '--no-fund'], {}, 120_000)

test.group('Third-party plugin as an npm package', () => {
  test('examples/tickets packs, installs and works in a Plinth that did not know it', async ({
    assert,
  }) => {
    const prefix = `tmp/plugin-package-${randomBytes(4).toString('hex')}`
    const database = await childDatabase('package')
    try {
      await mkdir(app.makePath(prefix), { recursive: true })
      const packed = await npm(['pack', './examples/tickets', '--pack-destination', prefix])
      assert.equal(packed.code, 0, packed.output)
      const tarball = (await readdir(app.makePath(prefix))).find((file) => file.endsWith('.tgz'))
      assert.equal(tarball, 'plinth-plugin-tickets-1.0.0.tgz')

      // peers (the SDK, Lucid, Vue...) are the app's: not installed into the prefix
      const installed = await npm([
        'install',
        '--prefix',
        prefix,
        '--legacy-peer-deps',
        '--ignore-scripts',
        '--offline',
        `./${prefix}/${tarball}`,
      ])
      assert.equal(installed.code, 0, installed.output)
      const root = app.makePath(prefix, 'node_modules/plinth-plugin-tickets')
      for (const file of [
        'plugin.js',
        'lib/ticket.js',
        'database/migrations/0001_create_tickets_tickets.js',
        'pages/index.vue',
      ])
        assert.isTrue(existsSync(`${root}/${file}`), `${file} is in the package`)
      assert.isFalse(existsSync(app.makePath(prefix, 'node_modules/@plinth')))

      const env = {
        ...database.env,
        NODE_ENV: 'test',
        PORT: String(await freePort()),
        PLINTH_PLUGIN_PACKAGES: 'plinth-plugin-tickets',
        PLINTH_PLUGIN_PACKAGE_PATHS: prefix,
        PLINTH_PLUGIN_TESTS: 'tests/functional/plugin_package_tickets.inner.ts',
      }
      const migrated = await ace(['migration:run', '--force'], env)
      assert.equal(migrated.code, 0, migrated.output)
      assert.include(migrated.output, '0001_create_tickets_tickets')

      const run = await ace(
        ['test', 'functional', '--files=tests/functional/plugin_package_tickets.inner.ts'],
        env
      )
      assert.equal(run.code, 0, run.output.slice(-5000))
      assert.match(run.output, /Tests\s+6 passed \(6\)/)
    } finally {
      await rm(app.makePath(prefix), { recursive: true, force: true })
      await database.drop()
    }
  }).timeout(300_000)
})
