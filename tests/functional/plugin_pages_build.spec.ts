import { existsSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { build } from 'vite'
import { PAGE_FOLDERS_ENV } from '#plugins/web/vite_plugin_pages'
import { pageFolders } from '#plugins/web/pages'

/*
 * Production builds include plugin pages: a Vite build (into a temporary
 * folder, never public/assets) of the app with the folders plinth:setup hands
 * over bundles the first-party glob and the pages of plugins kept elsewhere
 * (here the notes fixture, an extra folder) as chunks of the manifest.
 */
test.group('Plugin pages in a production build', () => {
  test('the built manifest holds every plugin page file', async ({ assert }) => {
    const outDir = app.makePath(`tmp/build-${randomBytes(4).toString('hex')}`)
    const folders = pageFolders()
    assert.includeDeepMembers(
      folders.map((folder) => folder.id),
      ['notes']
    )
    // as in `plinth:setup`: the folders come through the environment, not this process's registry
    const previous = process.env[PAGE_FOLDERS_ENV]
    process.env[PAGE_FOLDERS_ENV] = JSON.stringify(folders)
    const registryKey = Symbol.for('plinth.pluginPageFolders')
    const global = globalThis as Record<symbol, unknown>
    const published = global[registryKey]
    delete global[registryKey]
    try {
      await build({
        configFile: app.makePath('vite.config.ts'),
        root: app.makePath(),
        mode: 'production',
        logLevel: 'warn',
        // last: wins over the AdonisJS plugin's outDir
        plugins: [{ name: 'plinth-test-out-dir', config: () => ({ build: { outDir } }) }],
      })
      const manifestFile = `${outDir}/.vite/manifest.json`
      assert.isTrue(existsSync(manifestFile))
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<
        string,
        { file: string; isDynamicEntry?: boolean }
      >
      const page = manifest['tests/fixtures/plugins/notes/pages/list.vue']
      assert.exists(page, `not in the manifest: ${Object.keys(manifest).join(', ')}`)
      assert.isTrue(page.isDynamicEntry)
      assert.include(readFileSync(`${outDir}/${page.file}`, 'utf8'), 'No notes yet.')
      assert.exists(manifest['resources/pages/plugin_manager.vue'])
    } finally {
      global[registryKey] = published
      if (previous === undefined) delete process.env[PAGE_FOLDERS_ENV]
      else process.env[PAGE_FOLDERS_ENV] = previous
      await rm(outDir, { recursive: true, force: true })
    }
  }).timeout(240_000)
})
