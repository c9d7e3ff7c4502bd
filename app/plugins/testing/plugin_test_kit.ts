import { randomUUID } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ApiClient } from '@japa/api-client'
import type { test as japaTest } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import type { BaseSchema } from '@adonisjs/lucid/schema'
import User from '#models/user'
import { describedRoutes, routeDocs } from '#http/openapi/route_docs'
import { jobs } from '#jobs/jobs'
import { plugins } from '#plugins/main'
import { migrationsFolder } from '#plugins/plugin_migrations'
import type { RegisteredPlugin } from '#plugins/registry'
import { pageUrl } from '#plugins/web/page_url'
import {
  describeResponse as describe,
  type TestTenant,
  memberWith,
  signupTenant,
  switchPlugin,
} from '#plugins/testing/plugin_tenant'

/*
 * The plugin test kit: `pluginTestKit(test, { plugin: 'notes', routes: {...} })`
 * adds a group of tests that check, for any plugin, what the kernel promises:
 * - every API route of the plugin needs a token (401) and its declared
 *   permission (403 for a role holding every other permission of the plugin);
 * - tenant B cannot read or change tenant A's rows through any route;
 * - disabling the plugin hides its routes (404 PLUGIN_NOT_ENABLED), pages,
 *   nav entries and jobs (a job for that tenant is skipped);
 * - its migrations go down to zero and up again to the same schema.
 * It signs up two tenants through the API and enables the plugin (with its
 * dependencies) in both. The plugin must be loaded by the app under test
 * (plugins/, config/plugins.ts or PLINTH_PLUGINS_EXTRA).
 */
export type KitSample =
  | Record<string, unknown>
  | ((context: { tenant: TestTenant; client: ApiClient }) => Promise<Record<string, unknown>>)

export type PluginTestKitOptions = {
  plugin: string
  /*
   * A valid `data.attributes` body for each write route of the plugin, by
   * "METHOD /path" as the plugin declares it (e.g. "POST /notes"). The kit
   * creates rows in tenant A with the POST routes without parameters, in the
   * order the plugin declares them. A body that needs ids of rows created
   * before it (a booking needs a service) is a function of tenant A and the
   * API client, awaited when the kit gets to that route.
   */
  routes?: Record<string, KitSample>
  /* A payload for each job, by job name; the kit runs it for an enabled tenant. */
  jobs?: Record<string, unknown>
}

export type PluginRoute = {
  method: string
  /* full pattern, "/api/v1/notes/notes/:id" */
  pattern: string
  /* as the plugin declared it, "POST /notes/:id" */
  key: string
  params: string[]
  permission: string | undefined
}

/* Every API route the plugin mounted under /api/v1/<id>/, with the permission its .describe() names. */
export function pluginRoutes(pluginId: string): PluginRoute[] {
  const prefix = `/api/v1/${pluginId}`
  const permissions = new Map<string, string | undefined>()
  for (const route of describedRoutes) {
    const json = route.toJSON()
    for (const method of json.methods)
      permissions.set(`${method} ${json.pattern}`, routeDocs.get(route)?.permission)
  }
  const routes: PluginRoute[] = []
  for (const route of Object.values(router.toJSON()).flat()) {
    if (route.pattern !== prefix && !route.pattern.startsWith(`${prefix}/`)) continue
    for (const method of route.methods) {
      if (method === 'HEAD') continue
      const local = route.pattern.slice(prefix.length) || '/'
      routes.push({
        method,
        pattern: route.pattern,
        key: `${method} ${local}`,
        params: [...route.pattern.matchAll(/:([A-Za-z0-9_]+)\??/g)].map((match) => match[1]),
        permission: permissions.get(`${method} ${route.pattern}`),
      })
    }
  }
  return routes
}

const fill = (route: PluginRoute, value: string | number) =>
  route.pattern.replace(/:([A-Za-z0-9_]+)\??/g, String(value))

/* The route called with an empty body (writes) and the token, if any. */
function call(client: ApiClient, route: PluginRoute, url: string, token?: string) {
  const request = client.request(url, route.method)
  if (token) request.bearerToken(token)
  if (route.method !== 'GET' && route.method !== 'DELETE') {
    request.header('Idempotency-Key', randomUUID()).json({ data: { attributes: {} } })
  }
  return request
}

function withBody(
  client: ApiClient,
  route: PluginRoute,
  url: string,
  token: string,
  attributes: Record<string, unknown>
) {
  return client
    .request(url, route.method)
    .bearerToken(token)
    .header('Idempotency-Key', randomUUID())
    .json({ data: { attributes } })
}

/* Columns of every table, as the database reports them: the schema to compare. */
async function schemaSnapshot() {
  const connection = db.connection()
  const schemas = connection.dialect.name === 'postgres' ? ['public'] : undefined
  const tables = await connection.getAllTables(schemas)
  tables.sort()
  const snapshot: Record<string, unknown> = {}
  for (const table of tables) snapshot[table] = await connection.columnsInfo(table)
  return snapshot
}

async function migrationsOf(plugin: RegisteredPlugin) {
  const folder = migrationsFolder(plugin)
  if (!folder) return []
  const files = readdirSync(folder)
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
    .sort()
  const loaded: { file: string; Schema: typeof BaseSchema }[] = []
  for (const file of files) {
    const module = await import(pathToFileURL(join(folder, file)).href)
    loaded.push({ file: join(folder, file), Schema: module.default })
  }
  return loaded
}

async function runMigrations(plugin: RegisteredPlugin, direction: 'up' | 'down') {
  const migrations = await migrationsOf(plugin)
  if (direction === 'down') migrations.reverse()
  for (const { file, Schema } of migrations) {
    const schema = new Schema(db.connection(), file, false)
    if (direction === 'up') await schema.execUp()
    else await schema.execDown()
  }
  return migrations.length
}

export function pluginTestKit(test: typeof japaTest, options: PluginTestKitOptions) {
  const id = options.plugin
  const samples = options.routes ?? {}

  test.group(`Plugin test kit: ${id}`, (group) => {
    group.tap((check) => check.timeout(60_000))

    let world: Promise<{ a: TestTenant; b: TestTenant; routes: PluginRoute[] }> | null = null
    const setup = (client: ApiClient) => {
      world ??= (async () => {
        if (!plugins.registry.has(id))
          throw new Error(
            `kit: plugin "${id}" is not loaded (plugins/, config/plugins.ts or PLINTH_PLUGINS_EXTRA)`
          )
        const [a, b] = [await signupTenant(client, 'a'), await signupTenant(client, 'b')]
        await switchPlugin(client, a, id, true)
        await switchPlugin(client, b, id, true)
        return { a, b, routes: pluginRoutes(id) }
      })()
      return world
    }

    test('every route needs a token and declares a permission of the plugin', async ({
      client,
      assert,
    }) => {
      const { routes } = await setup(client)
      const plugin = plugins.registry.get(id)!
      const own = new Set(
        [plugin, ...plugins.registry.dependenciesOf(id)].flatMap((item) =>
          (item.manifest.permissions ?? []).map((permission) => permission.key)
        )
      )
      for (const route of routes) {
        const response = await call(client, route, fill(route, 1))
        assert.equal(response.status(), 401, `${route.key} without a token: ${describe(response)}`)
        assert.isDefined(route.permission, `${route.key} declares no permission in .describe()`)
        assert.isTrue(
          own.has(route.permission!),
          `${route.key} requires "${route.permission}", not a permission of "${id}" or its dependencies`
        )
      }
    })

    test('every route refuses a role without its permission', async ({ client, assert }) => {
      const { a, routes } = await setup(client)
      const plugin = plugins.registry.get(id)!
      const all = [plugin, ...plugins.registry.dependenciesOf(id)].flatMap((item) =>
        (item.manifest.permissions ?? []).map((permission) => permission.key)
      )
      const needed = [...new Set(routes.map((route) => route.permission).filter(Boolean))]
      for (const permission of needed as string[]) {
        const token = await memberWith(
          client,
          a,
          all.filter((key) => key !== permission)
        )
        for (const route of routes) {
          const response = await call(client, route, fill(route, 1), token)
          if (route.permission === permission)
            assert.equal(
              response.status(),
              403,
              `${route.key} without ${permission}: ${describe(response)}`
            )
          else
            assert.notEqual(
              response.status(),
              403,
              `${route.key} refused although the role holds ${route.permission}`
            )
        }
      }
    })

    test("tenant B cannot read or change tenant A's rows through any route", async ({
      client,
      assert,
    }) => {
      const { a, b, routes } = await setup(client)
      const creates = routes.filter((route) => route.method === 'POST' && !route.params.length)
      for (const create of creates) {
        const given = samples[create.key]
        const sample = typeof given === 'function' ? await given({ tenant: a, client }) : given
        assert.isDefined(
          sample,
          `give a sample body for "${create.key}" in the kit's routes option`
        )
        const created = await withBody(client, create, create.pattern, a.token, sample!)
        assert.equal(created.status(), 201, `${create.key} in tenant A: ${describe(created)}`)
        const rowId = String(created.body().data.id)

        for (const route of routes) {
          if (route.method === 'GET' && !route.params.length) {
            const seenByA = await client.get(route.pattern).bearerToken(a.token)
            const seenByB = await client.get(route.pattern).bearerToken(b.token)
            assert.equal(seenByB.status(), 200, `${route.key} as B: ${describe(seenByB)}`)
            const ids = (body: any) =>
              Array.isArray(body?.data) ? body.data.map((row: any) => String(row.id)) : []
            if (ids(seenByA.body()).includes(rowId))
              assert.notInclude(ids(seenByB.body()), rowId, `${route.key} lists A's row to B`)
          }
          // a row id means something only to the routes of its own resource (POST /a → /a/:id/...)
          if (route.params.length && route.pattern.startsWith(`${create.pattern}/`)) {
            const url = fill(route, rowId)
            const givenBody = samples[route.key]
            const sampleBody =
              typeof givenBody === 'function'
                ? await givenBody({ tenant: a, client })
                : (givenBody ?? {})
            const asB =
              route.method === 'GET'
                ? await client.get(url).bearerToken(b.token)
                : await withBody(client, route, url, b.token, sampleBody)
            assert.equal(asB.status(), 404, `${route.key} on A's row as B: ${describe(asB)}`)
          }
        }
        // B's attempts changed nothing: A still reads its row
        const shows = routes.filter(
          (r) =>
            r.method === 'GET' &&
            r.params.length === 1 &&
            r.pattern.startsWith(`${create.pattern}/`)
        )
        for (const show of shows) {
          const again = await client.get(fill(show, rowId)).bearerToken(a.token)
          assert.equal(
            again.status(),
            200,
            `${show.key} as A after B's attempts: ${describe(again)}`
          )
        }
      }
    })

    test('disabling hides its routes, pages, nav and jobs for that tenant only', async ({
      client,
      assert,
    }) => {
      const { a, b, routes } = await setup(client)
      const plugin = plugins.registry.get(id)!
      const owner = await User.findOrFail(a.userId)
      const shellNav = async () => {
        const page = await client
          .get('/app')
          .withInertia()
          .loginAs(owner)
          .withSession({ tenantId: a.tenantId })
        return (page.inertiaProps.shell.nav as { href: string }[]).map((item) => item.href)
      }
      const pageUrls = (plugin.manifest.pages ?? [])
        .filter((page) => !page.path.includes(':'))
        .map((page) => pageUrl(id, page.path))
      const navUrls = (plugin.manifest.nav ?? []).map((entry) => pageUrl(id, entry.path))

      assert.includeMembers(
        await shellNav(),
        navUrls,
        'the owner sees every nav entry while enabled'
      )
      for (const url of pageUrls) {
        const page = await client
          .get(url)
          .withInertia()
          .loginAs(owner)
          .withSession({ tenantId: a.tenantId })
        assert.equal(page.status(), 200, `${url} while enabled`)
      }

      await switchPlugin(client, a, id, false)
      try {
        for (const route of routes) {
          const response = await call(client, route, fill(route, 1), a.token)
          assert.equal(response.status(), 404, `${route.key} while disabled: ${describe(response)}`)
          assert.equal(response.body().errors?.[0]?.code, 'PLUGIN_NOT_ENABLED', route.key)
        }
        const nav = await shellNav()
        assert.isFalse(
          nav.some((href) => href === `/app/${id}` || href.startsWith(`/app/${id}/`)),
          `nav still links to the plugin: ${nav.join(', ')}`
        )
        for (const url of pageUrls) {
          const page = await client.get(url).loginAs(owner).withSession({ tenantId: a.tenantId })
          assert.equal(page.status(), 404, `${url} while disabled`)
        }
        for (const job of plugin.manifest.jobs ?? []) {
          assert.isDefined(
            jobs.get(job.name),
            `job ${job.name} is not registered with the jobs service`
          )
          const run = {
            id: randomUUID(),
            name: job.name,
            payload: options.jobs?.[job.name] ?? {},
            attempt: 1,
          }
          assert.equal(
            await jobs.execute({ ...run, tenantId: a.tenantId }),
            'skipped',
            `${job.name} ran for a tenant that disabled "${id}"`
          )
          if (job.name in (options.jobs ?? {}))
            assert.equal(
              await jobs.execute({ ...run, id: randomUUID(), tenantId: b.tenantId }),
              'done'
            )
        }
        // the other tenant is untouched
        for (const route of routes.filter((r) => r.method === 'GET' && !r.params.length)) {
          const response = await client.get(route.pattern).bearerToken(b.token)
          assert.equal(response.status(), 200, `${route.key} for B: ${describe(response)}`)
        }
      } finally {
        await switchPlugin(client, a, id, true)
      }
      for (const route of routes.filter((r) => r.method === 'GET' && !r.params.length)) {
        const response = await client.get(route.pattern).bearerToken(a.token)
        assert.equal(
          response.status(),
          200,
          `${route.key} after enabling again: ${describe(response)}`
        )
      }
    })

    test('its migrations go down to zero and up again to the same schema', async ({ assert }) => {
      const plugin = plugins.registry.get(id)
      assert.exists(plugin, `plugin "${id}" is not loaded`)
      // dependants' tables may reference this plugin's: they go down first and up last
      const chain = [plugin!, ...plugins.registry.dependantsOf(id)]
      const before = await schemaSnapshot()
      for (const item of [...chain].reverse()) await runMigrations(item, 'down')
      const down = await schemaSnapshot()
      const own = await migrationsOf(plugin!)
      if (own.length) {
        assert.isBelow(
          Object.keys(down).length,
          Object.keys(before).length,
          'down removed no table'
        )
      }
      for (const item of chain) await runMigrations(item, 'up')
      assert.deepEqual(await schemaSnapshot(), before)
    })
  })
}
