import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import User from '#models/user'
import AuditLogEntry from '#models/audit_log_entry'
import { signup, login, unique, type SignedUp } from '#tests/helpers'

/*
 * Plugin pages and nav on the server (notes fixture: a page at /app/notes with
 * a nav entry, permission notes.read), and the plugin manager page's
 * switches and settings form handlers.
 */
const hrefs = (page: any) => page.inertiaProps.shell.nav.map((item: { href: string }) => item.href)

async function asWeb(owner: SignedUp) {
  return { user: await User.findOrFail(Number(owner.ownerId)), tenantId: Number(owner.tenantId) }
}

function visit(client: ApiClient, path: string, who: { user: User; tenantId: number }) {
  return client.get(path).withInertia().loginAs(who.user).withSession({ tenantId: who.tenantId })
}

function submit(
  client: ApiClient,
  method: 'post' | 'put',
  path: string,
  who: { user: User; tenantId: number },
  body: Record<string, unknown> = {}
) {
  return client[method](path)
    .withCsrfToken()
    .loginAs(who.user)
    .withSession({ tenantId: who.tenantId })
    .json(body)
    .redirects(0)
}

/* The message the manager flashes when a switch is refused (session.flashErrors). */
const flashedError = (response: { flashMessage(key: string): unknown }) =>
  (response.flashMessage('errorsBag') as Record<string, string> | undefined)?.plugins ?? ''

/* A member of the owner's tenant with a custom role holding exactly these permissions. */
async function memberWith(client: ApiClient, owner: SignedUp, permissions: string[]) {
  const key = `r_${unique()}`
  ;(
    await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .header('Idempotency-Key', randomUUID())
      .json({ data: { attributes: { key, name: `Role ${key}`, permissions } } })
  ).assertStatus(201)
  const person = await signup(client)
  ;(
    await client
      .post('/api/v1/members')
      .bearerToken(owner.token)
      .header('Idempotency-Key', randomUUID())
      .json({ email: person.email, role: key })
  ).assertStatus(201)
  return {
    user: await User.findByOrFail('email', person.email),
    tenantId: Number(owner.tenantId),
    token: await login(client, person.email, owner.slug),
  }
}

test.group('Plugin pages and navigation', () => {
  test('a plugin page and its nav entry exist only where it is enabled and permitted', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const other = await signup(client)
    const web = await asWeb(owner)

    const off = await visit(client, '/app/notes', web)
    off.assertStatus(404)
    assert.equal(off.body().component, 'errors/not_found')
    assert.notInclude(hrefs(await visit(client, '/app', web)), '/app/notes')

    ;(
      await client
        .post('/api/v1/plugins/notes/enable')
        .bearerToken(owner.token)
        .header('Idempotency-Key', randomUUID())
    ).assertStatus(200)
    await client
      .post('/api/v1/notes/notes')
      .bearerToken(owner.token)
      .header('Idempotency-Key', randomUUID())
      .json({ data: { attributes: { body: 'Call the plumber' } } })

    const on = await visit(client, '/app/notes', web)
    on.assertStatus(200)
    on.assertInertiaComponent('plugins/notes/list')
    assert.deepEqual(
      on.inertiaProps.notes.map((note: { body: string }) => note.body),
      ['Call the plumber']
    )
    assert.deepEqual(on.inertiaProps.pluginPage, {
      plugin: { id: 'notes', name: 'Notes' },
      title: 'Notes',
    })
    const nav = hrefs(on)
    assert.include(nav, '/app/notes')
    assert.isAbove(
      nav.indexOf('/app/notes'),
      nav.indexOf('/app/security'),
      'after the kernel entries'
    )

    // another tenant of the platform: not enabled there, nothing shown
    const otherWeb = await asWeb(other)
    ;(await visit(client, '/app/notes', otherWeb)).assertStatus(404)
    assert.notInclude(hrefs(await visit(client, '/app', otherWeb)), '/app/notes')

    // a role without notes.read: no nav entry, and the page is refused
    const reader = await memberWith(client, owner, ['members.read'])
    assert.notInclude(hrefs(await visit(client, '/app', reader)), '/app/notes')
    const refused = await visit(client, '/app/notes', reader)
    refused.assertStatus(403)

    // disabled again: gone, data kept
    ;(
      await client
        .post('/api/v1/plugins/notes/disable')
        .bearerToken(owner.token)
        .header('Idempotency-Key', randomUUID())
    ).assertStatus(200)
    ;(await visit(client, '/app/notes', web)).assertStatus(404)
    assert.notInclude(hrefs(await visit(client, '/app', web)), '/app/notes')
  })
})

test.group('Plugin manager page', () => {
  test('lists the catalog with versions, dependencies and state; only plugins.read opens it', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const web = await asWeb(owner)
    const page = await visit(client, '/app/plugins', web)
    page.assertStatus(200)
    page.assertInertiaComponent('plugin_manager')
    assert.isTrue(page.inertiaProps.canManage)
    assert.include(hrefs(page), '/app/plugins')
    const plus = page.inertiaProps.plugins.find((row: { id: string }) => row.id === 'notes-plus')
    assert.containSubset(plus, {
      name: 'Notes Plus',
      version: '1.2.0',
      enabled: false,
      requires: [{ id: 'notes', range: '^1.0.0', enabled: false }],
    })
    const notes = page.inertiaProps.plugins.find((row: { id: string }) => row.id === 'notes')
    assert.include(notes.dependants, 'notes-plus')
    assert.deepEqual(notes.settings.secrets, ['apiKey'])

    const viewer = await memberWith(client, owner, ['plugins.read'])
    const viewed = await visit(client, '/app/plugins', viewer)
    viewed.assertStatus(200)
    assert.isFalse(viewed.inertiaProps.canManage)
    ;(await submit(client, 'post', '/app/plugins/notes/enable', viewer)).assertStatus(403)

    const stranger = await memberWith(client, owner, ['members.read'])
    ;(await visit(client, '/app/plugins', stranger)).assertStatus(403)
    assert.notInclude(hrefs(await visit(client, '/app', stranger)), '/app/plugins')
  })

  test('enables with dependencies on request, refuses a disable a dependant needs', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const web = await asWeb(owner)

    const refused = await submit(client, 'post', '/app/plugins/notes-plus/enable', web)
    refused.assertStatus(302)
    assert.include(flashedError(refused), '"notes"')
    assert.isFalse(
      (await visit(client, '/app/plugins', web)).inertiaProps.plugins.find(
        (row: { id: string }) => row.id === 'notes-plus'
      ).enabled
    )

    const enabled = await submit(client, 'post', '/app/plugins/notes-plus/enable', web, {
      withDependencies: true,
    })
    enabled.assertStatus(302)
    assert.equal(enabled.flashMessage('notice'), 'Enabled Notes, Notes Plus.')
    const rows = (await visit(client, '/app/plugins', web)).inertiaProps.plugins
    for (const id of ['notes', 'notes-plus'])
      assert.isTrue(rows.find((row: { id: string }) => row.id === id).enabled, id)

    const blocked = await submit(client, 'post', '/app/plugins/notes/disable', web)
    assert.include(flashedError(blocked), 'needed by "notes-plus"')
    ;(await client.get('/api/v1/notes/notes').bearerToken(owner.token)).assertStatus(200)

    const done = await submit(client, 'post', '/app/plugins/notes-plus/disable', web)
    assert.equal(done.flashMessage('notice'), 'Disabled Notes Plus. Its data is kept.')
    const entries = await AuditLogEntry.query()
      .where('tenant_id', Number(owner.tenantId))
      .whereIn('action', ['plugin.enabled', 'plugin.disabled'])
      .orderBy('id')
    assert.deepEqual(
      entries.map((entry) => `${entry.action} ${entry.subjectId}`),
      ['plugin.enabled notes', 'plugin.enabled notes-plus', 'plugin.disabled notes-plus']
    )
  })

  test('the settings form validates against the schema and never shows a secret', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const web = await asWeb(owner)

    const invalid = await submit(client, 'put', '/app/plugins/notes/settings', web, {
      settings: { limit: 1000, apiKey: 'short' },
    })
    invalid.assertStatus(302)
    const errors = invalid.flashMessages().errors
    assert.properties(errors, ['limit', 'apiKey'])

    const saved = await submit(client, 'put', '/app/plugins/notes/settings', web, {
      settings: { greeting: 'Hello', limit: 10, apiKey: 'secret-key-123' },
    })
    saved.assertStatus(302)
    assert.equal(saved.flashMessage('notice'), 'Saved the settings of Notes.')

    const page = await visit(client, '/app/plugins', web)
    const notes = page.inertiaProps.plugins.find((row: { id: string }) => row.id === 'notes')
    assert.deepEqual(notes.settings.values, { greeting: 'Hello', limit: 10, apiKey: '********' })
    assert.notInclude(JSON.stringify(page.body()), 'secret-key-123')

    // the mask sent back keeps the stored secret
    await submit(client, 'put', '/app/plugins/notes/settings', web, {
      settings: { greeting: 'Hi', limit: 10, apiKey: '********' },
    })
    const api = await client.get('/api/v1/plugins/notes/settings').bearerToken(owner.token)
    assert.equal(api.body().data.attributes.greeting, 'Hi')
    assert.equal(api.body().data.attributes.apiKey, '********')
    ;(
      await client
        .post('/api/v1/plugins/notes/enable')
        .bearerToken(owner.token)
        .header('Idempotency-Key', randomUUID())
    ).assertStatus(200)
    const echo = await client.get('/api/v1/notes/settings-echo').bearerToken(owner.token)
    assert.equal(echo.body().data.attributes.apiKey, 'secret-key-123')
  })
})
