import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { unique, signup } from '#tests/helpers'
import { definePlugin } from '#plinth'
import { buildRegistry, type PluginSource } from '#plugins/registry'
import { plugins } from '#plugins/main'
import { installOrUpgrade, PluginInstallError } from '#plugins/installations'
import { uninstallPlugin, PluginUninstallError } from '#plugins/uninstall'
import { migratePluginDown } from '#plugins/plugin_migrations'
import { schemaSnapshot } from '#plugins/schema_snapshot'
import type { PluginManifest } from '#plugins/types'

const appRoot = fileURLToPath(app.appRoot)
/* this run's scratch folder: runs sharing the checkout never delete each other's */
const RUN = `tmp/plugin-tests/${unique()}`
const scratch = join(appRoot, RUN)
/* a timestamp as Lucid writes it on this database */
const now = () => DateTime.now().toFormat(db.connection().dialect.dateTimeFormat)

const createTable = (
  table: string,
  extra = ''
) => `import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('${table}', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('label', 50).notNullable()${extra}
    })
  }

  async down() {
    this.schema.dropTable('${table}')
  }
}
`

/* A throw-away plugin under tmp/ with the given migration files. */
function tempPlugin(manifest: Omit<PluginManifest, 'name'>, files: Record<string, string>) {
  const root = join(scratch, manifest.id)
  mkdirSync(join(root, 'database', 'migrations'), { recursive: true })
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(root, 'database', 'migrations', name), content)
  }
  const source: PluginSource = {
    manifest: definePlugin({ name: manifest.id, ...manifest }),
    source: `${RUN}/${manifest.id}`,
    root,
    origin: 'extra',
  }
  return source
}

async function hasTable(table: string) {
  return db.connection().schema.hasTable(table)
}

async function kernelSchema(exclude: string[]) {
  const snapshot = await schemaSnapshot(db.connection())
  for (const table of exclude) delete snapshot.tables[table]
  return snapshot
}

test.group('Plugin lifecycle: install and upgrade', (group) => {
  group.each.teardown(() => rmSync(scratch, { recursive: true, force: true }))

  test('an upgrade runs the new migrations of that plugin only', async ({ assert }) => {
    const id = `upg-${unique()}`
    const other = `bys-${unique()}`
    const t1 = `t_${unique()}_first`
    const t2 = `t_${unique()}_second`
    const tOther = `t_${unique()}_other`
    const bystander = tempPlugin(
      { id: other, version: '1.0.0' },
      { '0001_create.ts': createTable(tOther) }
    )
    const v1 = tempPlugin({ id, version: '1.0.0' }, { '0001_create.ts': createTable(t1) })
    const registry1 = buildRegistry([v1, bystander])
    try {
      const first = await installOrUpgrade(registry1.get(id)!, appRoot)
      assert.isTrue(first.firstInstall)
      assert.lengthOf(first.ran, 1)
      assert.isTrue(await hasTable(t1))
      assert.isFalse(await hasTable(tOther), 'the other plugin was not migrated')

      // version 1.1.0 ships a second migration
      const v2 = tempPlugin({ id, version: '1.1.0' }, { '0002_create.ts': createTable(t2) })
      const registry2 = buildRegistry([v2, bystander])
      const upgrade = await installOrUpgrade(registry2.get(id)!, appRoot)
      assert.equal(upgrade.from, '1.0.0')
      assert.equal(upgrade.to, '1.1.0')
      assert.deepEqual(upgrade.ran, [`${RUN}/${id}/database/migrations/0002_create`])
      assert.isTrue(await hasTable(t2))
      assert.isFalse(await hasTable(tOther))
      const row = await db.from('plugin_installations').where('plugin_id', id).first()
      assert.equal(row.version, '1.1.0')
      assert.equal(row.state, 'installed')

      // running it again is a no-op; going back a version is refused
      assert.deepEqual((await installOrUpgrade(registry2.get(id)!, appRoot)).ran, [])
      await assert.rejects(() => installOrUpgrade(registry1.get(id)!, appRoot), PluginInstallError)
    } finally {
      await migratePluginDown(
        db.connection(),
        { root: v1.root, manifest: v1.manifest as any },
        appRoot
      )
      await db.from('plugin_installations').whereIn('plugin_id', [id, other]).delete()
    }
    assert.isFalse(await hasTable(t1))
    assert.isFalse(await hasTable(t2))
  })
})

test.group('Plugin lifecycle: uninstall', (group) => {
  group.each.teardown(() => rmSync(scratch, { recursive: true, force: true }))

  test('uninstall is refused while another installed plugin requires it', async ({ assert }) => {
    const error = await uninstallPlugin(plugins.registry, 'notes', 'purge', { appRoot }).catch(
      (caught) => caught
    )
    assert.instanceOf(error, PluginUninstallError)
    assert.include(error.message, 'required by "notes-plus"')
    assert.isTrue(await hasTable('notes_items'), 'nothing changed')
    const unknown = await uninstallPlugin(plugins.registry, 'ghost', 'keep', { appRoot }).catch(
      (caught) => caught
    )
    assert.include(unknown.message, '"ghost" is not installed')
    const badMode = await uninstallPlugin(plugins.registry, 'notes-plus', 'shred' as any, {
      appRoot,
    }).catch((caught) => caught)
    assert.include(badMode.message, 'Unknown mode')
  })

  async function installedPlugin(withSchedule = true) {
    const id = `uni-${unique()}`
    const table = `t_${unique()}_items`
    const source = tempPlugin(
      {
        id,
        version: '2.0.0',
        permissions: [{ key: `${id}.read`, description: 'Read', roles: ['admin'] }],
        jobs: [{ name: `${id}.work`, handle() {} }],
        schedules: withSchedule
          ? [{ key: `${id}.nightly`, cron: '0 1 * * *', job: `${id}.work` }]
          : [],
      },
      { '0001_create.ts': createTable(table) }
    )
    const registry = buildRegistry([source])
    await installOrUpgrade(registry.get(id)!, appRoot)
    const tenant = await signup((globalThis as any).__client)
    return { id, table, registry, tenant }
  }

  test('purge drops the plugin tables, tenant rows and custom-role permissions; kernel untouched', async ({
    client,
    assert,
  }) => {
    ;(globalThis as any).__client = client
    const { id, table, registry, tenant } = await installedPlugin()
    await db.table(table).insert({ tenant_id: tenant.tenantId, label: 'row' })
    await db.table('tenant_plugins').insert({
      tenant_id: tenant.tenantId,
      plugin_id: id,
      enabled: true,
      settings: '{"a":1}',
      created_at: now(),
      updated_at: now(),
    })
    const [roleId] = await db
      .table('roles')
      .insert({
        tenant_id: tenant.tenantId,
        key: `r${unique()}`,
        name: 'Custom',
        is_system: false,
        permissions: JSON.stringify(['audit.read', `${id}.read`]),
        created_at: now(),
        updated_at: now(),
      })
      .returning('id')
    const kernelBefore = await kernelSchema([table])
    const tenantsBefore = await db.from('tenants').count('* as n')

    const result = await uninstallPlugin(registry, id, 'purge', { appRoot })
    assert.deepEqual(result.tables, [table])
    assert.lengthOf(result.rolledBack, 1)
    assert.isFalse(await hasTable(table))
    assert.lengthOf(await db.from('tenant_plugins').where('plugin_id', id), 0)
    const role = await db
      .from('roles')
      .where('id', (roleId as any).id ?? roleId)
      .first()
    assert.deepEqual(JSON.parse(role.permissions), ['audit.read'])
    const installation = await db.from('plugin_installations').where('plugin_id', id).first()
    assert.equal(installation.state, 'uninstalled')
    const entry = await db
      .from('audit_logs')
      .where({ action: 'plugin.uninstalled', subject_id: id })
      .first()
    assert.exists(entry)

    assert.deepEqual(await kernelSchema([]), kernelBefore, 'kernel tables untouched')
    assert.deepEqual(await db.from('tenants').count('* as n'), tenantsBefore)
    await assert.rejects(
      () => uninstallPlugin(registry, id, 'purge', { appRoot }),
      /already uninstalled/
    )
    await db.from('plugin_installations').where('plugin_id', id).delete()
  })

  test('export writes a JSON and a CSV per table, switches tenants off and keeps the data', async ({
    client,
    assert,
  }) => {
    ;(globalThis as any).__client = client
    const { id, table, registry, tenant } = await installedPlugin(false)
    await db.table(table).multiInsert([
      { tenant_id: tenant.tenantId, label: 'plain' },
      { tenant_id: tenant.tenantId, label: 'with, comma "quoted"' },
    ])
    await db.table('tenant_plugins').insert({
      tenant_id: tenant.tenantId,
      plugin_id: id,
      enabled: true,
      settings: '{}',
      created_at: now(),
      updated_at: now(),
    })
    const outDir = join(scratch, 'exports')
    try {
      const result = await uninstallPlugin(registry, id, 'export', { appRoot, outDir })
      assert.exists(result.archive)
      const files = readdirSync(result.archive!).sort()
      assert.deepEqual(files, [`${id}.json`, `${table}.csv`].sort())
      const archive = JSON.parse(readFileSync(join(result.archive!, `${id}.json`), 'utf8'))
      assert.equal(archive.version, '2.0.0')
      assert.deepEqual(
        archive.tables[table].map((row: any) => row.label),
        ['plain', 'with, comma "quoted"']
      )
      const csv = readFileSync(join(result.archive!, `${table}.csv`), 'utf8')
        .trim()
        .split('\n')
      assert.equal(csv[0], 'id,tenant_id,label')
      assert.include(csv[2], '"with, comma ""quoted"""')

      assert.isTrue(await hasTable(table), 'data kept')
      const row = await db.from('tenant_plugins').where({ plugin_id: id }).first()
      assert.isFalse(Boolean(row.enabled))
    } finally {
      await migratePluginDown(db.connection(), registry.get(id)!, appRoot)
      await db.from('tenant_plugins').where('plugin_id', id).delete()
      await db.from('plugin_installations').where('plugin_id', id).delete()
    }
  })
})

test.group('Plugin migrations: the round-trip check', () => {
  /* runs the command in a child process on its own SQLite file, never on this run's database */
  function check(extra: string) {
    const file = join(appRoot, 'tmp', `migration-check-${unique()}.sqlite3`)
    const result = spawnSync(process.execPath, ['ace', 'plinth:migrations:check'], {
      cwd: appRoot,
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DB_CONNECTION: 'sqlite',
        SQLITE_PATH: file,
        PLINTH_PLUGINS_EXTRA: extra,
      },
      timeout: 120_000,
    })
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
    return { status: result.status, output: `${result.stdout}${result.stderr}` }
  }

  test('passes for the kernel and plugins, and names the table a missing down leaves', async ({
    assert,
  }) => {
    const good = check('')
    assert.equal(good.status, 0, good.output)
    assert.include(good.output, 'schema identical')

    const leaky = check('tests/fixtures/plugins/leaky')
    assert.equal(leaky.status, 1, leaky.output)
    assert.include(leaky.output, 'table "leaky_items" survived the rollback')
  }).timeout(240_000)
})
