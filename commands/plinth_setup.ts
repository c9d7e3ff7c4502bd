import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/* Inputs of the UI bundle: when any is newer than the manifest, the bundle is stale. */
const UI_SOURCES = ['resources', 'plugins', 'vite.config.ts', 'package-lock.json']
const SKIP_DIRS = new Set(['node_modules', 'tests', 'database', '.git'])

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) {
    if (SKIP_DIRS.has(entry)) continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

/*
 * Everything `npm start` needs before serving: pending migrations, the demo
 * tenants (printing their login), and the Vite bundle when it is missing or
 * older than its sources. Safe to run any number of times.
 */
export default class PlinthSetup extends BaseCommand {
  static commandName = 'plinth:setup'
  static description =
    'Migrate the database, seed the demo tenants and build the UI assets when stale'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({
    description: 'Create the demo tenants',
    default: true,
    showNegatedVariantInHelp: true,
  })
  declare demo: boolean

  @flags.boolean({
    description: 'Build the UI assets when stale',
    default: true,
    showNegatedVariantInHelp: true,
  })
  declare assets: boolean

  async run() {
    const migrate = await this.kernel.exec('migration:run', ['--force'])
    if (migrate.exitCode) {
      this.logger.error('Migrations failed; see above')
      this.exitCode = 1
      return
    }

    if (this.demo) await this.seedDemo()
    if (this.assets && !(await this.buildAssetsIfStale())) {
      this.exitCode = 1
    }
  }

  private async seedDemo() {
    const { DEMO, seedDemo } = await import('#database/seeders/demo_seeder')
    await seedDemo()
    const [first, second] = DEMO.tenants
    const sticker = this.ui
      .sticker()
      .heading('Demo login')
      .add(`Email:    ${this.colors.cyan(DEMO.owner.email)}`)
      .add(`Password: ${this.colors.cyan(DEMO.password)}`)
      .add(
        `Tenant:   ${this.colors.cyan(first.slug)} (also owner of ${this.colors.cyan(second.slug)})`
      )
      .add('Members (same password):')
    for (const member of first.members) sticker.add(`  ${member.email} (${member.role})`)
    sticker.render()
  }

  /* Returns false when a needed build failed. */
  private async buildAssetsIfStale() {
    const manifest = this.app.makePath('public/assets/.vite/manifest.json')
    const built = existsSync(manifest) ? statSync(manifest).mtimeMs : 0
    const { plugins } = await import('#plugins/main')
    const { pageFolders } = await import('#plugins/web/pages')
    const { PAGE_FOLDERS_ENV } = await import('#plugins/web/vite_plugin_pages')
    // the pages of plugins kept outside plugins/ (npm packages) are inputs too
    const folders = plugins.booted ? pageFolders() : []
    const sources = Math.max(
      ...UI_SOURCES.map((source) => newestMtime(this.app.makePath(source))),
      ...folders.map((page) => newestMtime(page.folder))
    )
    if (built && built >= sources) {
      this.logger.info('UI assets are up to date')
      return true
    }

    this.logger.info(
      built ? 'UI sources changed: rebuilding assets with Vite' : 'Building UI assets with Vite'
    )
    const result = spawnSync(
      process.execPath,
      [this.app.makePath('node_modules/vite/bin/vite.js'), 'build'],
      {
        cwd: this.app.makePath(),
        stdio: 'inherit',
        // .env says development; a bundle is always a production build
        env: {
          ...process.env,
          NODE_ENV: 'production',
          [PAGE_FOLDERS_ENV]: JSON.stringify(folders),
        },
      }
    )
    if (result.status !== 0) {
      this.logger.error('Vite build failed; see above')
      return false
    }
    return true
  }
}
