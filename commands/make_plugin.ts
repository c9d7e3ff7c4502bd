import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

const STUBS = new URL('./stubs/make_plugin/', import.meta.url)

const words = (id: string) => id.split('-')
const pascal = (id: string) =>
  words(id)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('')

/* The names a new plugin's files use, all derived from its id. */
export function pluginNames(id: string) {
  const snake = words(id).join('_')
  return {
    id,
    name: words(id)
      .map((word, index) => (index === 0 ? word[0].toUpperCase() + word.slice(1) : word))
      .join(' '),
    snake,
    Model: `${pascal(id)}Item`,
    model_file: `${snake}_item`,
    table: `${snake}_items`,
  }
}

/* Replaces `{{ key }}` for the known keys only (Vue's own mustaches stay). */
export function renderStub(template: string, values: Record<string, string>) {
  return template.replace(/\{\{ (\w+) \}\}/g, (whole, key: string) => values[key] ?? whole)
}

/*
 * `node ace make:plugin <id>`: a working plugin in plugins/<id>/ (manifest,
 * routes + controller, validator, migration with its down, tenant-scoped
 * model, page + nav entry, job, and a test using the plugin test kit), which
 * passes its own test as generated.
 */
export default class MakePlugin extends BaseCommand {
  static commandName = 'make:plugin'
  static description = 'Scaffold a first-party plugin in plugins/<id>/ that passes its own test'
  static options: CommandOptions = {}

  @args.string({ description: 'Plugin id (kebab-case, e.g. "work-orders")' })
  declare id: string

  @flags.string({ description: 'Folder of first-party plugins', default: 'plugins' })
  declare dir: string

  async run() {
    const { PLUGIN_ID_PATTERN, RESERVED_PLUGIN_IDS } = await import('#plugins/validate_manifest')
    if (!new RegExp(PLUGIN_ID_PATTERN).test(this.id) || this.id.length > 50) {
      this.logger.error(`"${this.id}" is not a plugin id: use kebab-case (e.g. "work-orders")`)
      this.exitCode = 1
      return
    }
    if (RESERVED_PLUGIN_IDS.includes(this.id)) {
      this.logger.error(`"${this.id}" is reserved by the kernel; pick another id`)
      this.exitCode = 1
      return
    }
    const root = join(this.app.makePath(this.dir), this.id)
    if (existsSync(root)) {
      this.logger.error(`${relative(this.app.makePath(), root)} already exists`)
      this.exitCode = 1
      return
    }

    const names = pluginNames(this.id)
    const files: [stub: string, target: string][] = [
      ['plugin.ts.stub', 'plugin.ts'],
      ['model.ts.stub', `models/${names.model_file}.ts`],
      ['validator.ts.stub', `validators/${names.snake}_item_validator.ts`],
      ['controller.ts.stub', `controllers/${names.snake}_items_controller.ts`],
      ['migration.ts.stub', `database/migrations/0001_create_${names.table}.ts`],
      ['page.vue.stub', 'pages/index.vue'],
      ['test.ts.stub', `tests/${names.snake}.spec.ts`],
    ]
    for (const [stub, target] of files) {
      const path = join(root, target)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, renderStub(await readFile(new URL(stub, STUBS), 'utf8'), names))
      this.logger.action(`create ${relative(this.app.makePath(), path)}`).succeeded()
    }
    this.logger.info(
      `Next: node ace migration:run, then node ace test functional --files=${relative(this.app.makePath(), join(root, 'tests'))}`
    )
  }
}
