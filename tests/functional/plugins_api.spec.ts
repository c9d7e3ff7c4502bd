import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import { signup, login, type SignedUp } from '#tests/helpers'
import { TTL_MS } from '#plugins/enabled_plugins'

async function memberToken(client: ApiClient, owner: SignedUp, role: string) {
  const member = await signup(client)
  const added = await client
    .post('/api/v1/members')
    .bearerToken(owner.token)
    .json({ email: member.email, role })
  added.assertStatus(201)
  return login(client, member.email, owner.slug)
}

const enable = (client: ApiClient, token: string, id: string, body?: object) => {
  const request = client.post(`/api/v1/plugins/${id}/enable`).bearerToken(token)
  return body ? request.json(body) : request
}
const disable = (client: ApiClient, token: string, id: string) =>
  client.post(`/api/v1/plugins/${id}/disable`).bearerToken(token)

async function tenantRows(tenantId: string) {
  return db.from('tenant_plugins').where('tenant_id', tenantId).orderBy('plugin_id')
}

test.group('Plugins API: catalog and permissions', () => {
  test('the catalog lists plugins with version, dependencies and the tenant state', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const list = await client.get('/api/v1/plugins').bearerToken(owner.token)
    list.assertStatus(200)
    const byId = Object.fromEntries(list.body().data.map((item: any) => [item.id, item]))
    assert.properties(byId, ['notes', 'notes-plus'])
    assert.equal(byId.notes.type, 'plugin')
    assert.equal(byId.notes.attributes.version, '1.0.0')
    assert.deepEqual(byId.notes.attributes.dependants, ['notes-plus'])
    assert.deepEqual(byId['notes-plus'].attributes.requires.plugins, { notes: '^1.0.0' })
    assert.isFalse(byId.notes.attributes.enabled)
    assert.isTrue(byId.notes.attributes.hasSettings)
    assert.include(byId.notes.attributes.permissions, 'notes.read')

    const one = await client.get('/api/v1/plugins/notes').bearerToken(owner.token)
    one.assertStatus(200)
    assert.equal(one.body().data.attributes.name, 'Notes')

    const unknown = await client.get('/api/v1/plugins/nope').bearerToken(owner.token)
    unknown.assertStatus(404)
    assert.equal(unknown.body().errors[0].code, 'NOT_FOUND')
    assert.include(unknown.body().errors[0].detail, '"nope"')
  })

  test('plugins.read for admins and managers, plugins.manage for admins, auth for all', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const manager = await memberToken(client, owner, 'manager')
    const worker = await memberToken(client, owner, 'worker')
    const admin = await memberToken(client, owner, 'admin')

    ;(await client.get('/api/v1/plugins')).assertStatus(401)
    ;(await client.post('/api/v1/plugins/notes/enable')).assertStatus(401)
    ;(await client.get('/api/v1/plugins').bearerToken(manager)).assertStatus(200)
    ;(await client.get('/api/v1/plugins').bearerToken(worker)).assertStatus(403)
    ;(await client.get('/api/v1/plugins/notes/settings').bearerToken(worker)).assertStatus(403)
    const refused = await enable(client, manager, 'notes')
    refused.assertStatus(403)
    assert.lengthOf(await tenantRows(owner.tenantId), 0)
    ;(await enable(client, admin, 'notes')).assertStatus(200)
    ;(await disable(client, manager, 'notes')).assertStatus(403)
    ;(
      await client.put('/api/v1/plugins/notes/settings').bearerToken(manager).json({ limit: 3 })
    ).assertStatus(403)
  })
})

test.group('Plugins API: per-tenant switching', () => {
  test('a disabled plugin answers 404 PLUGIN_NOT_ENABLED; enabling opens it, with audit, event and hook', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const closed = await client.get('/api/v1/notes/notes').bearerToken(owner.token)
    closed.assertStatus(404)
    assert.equal(closed.body().errors[0].code, 'PLUGIN_NOT_ENABLED')
    // authentication still comes first
    ;(await client.get('/api/v1/notes/notes')).assertStatus(401)

    const enabled = await enable(client, owner.token, 'notes')
    enabled.assertStatus(200)
    assert.isTrue(enabled.body().data.attributes.enabled)
    assert.deepEqual(enabled.body().meta.switchedOn, ['notes'])

    const created = await client
      .post('/api/v1/notes/notes')
      .bearerToken(owner.token)
      .json({ body: 'first' })
    created.assertStatus(201)
    ;(await client.get('/api/v1/notes/notes').bearerToken(owner.token)).assertStatus(200)

    const audits = await db
      .from('audit_logs')
      .where({ tenant_id: owner.tenantId, subject_type: 'plugin' })
      .orderBy('id')
      .select('action', 'subject_id')
    assert.deepEqual(audits, [{ action: 'plugin.enabled', subject_id: 'notes' }])
    const events = await db
      .from('event_outbox')
      .where({ tenant_id: owner.tenantId, aggregate_type: 'plugin' })
      .select('name', 'aggregate_id')
    assert.deepEqual(events, [{ name: 'kernel.plugin.enabled', aggregate_id: 'notes' }])
    const hooks = await db
      .from('notes_hook_calls')
      .where({ tenant_id: owner.tenantId, hook: 'enable' })
    assert.lengthOf(hooks, 1)

    // enabling again changes nothing
    const again = await enable(client, owner.token, 'notes')
    again.assertStatus(200)
    assert.deepEqual(again.body().meta.switchedOn, [])

    const off = await disable(client, owner.token, 'notes')
    off.assertStatus(200)
    assert.isFalse(off.body().data.attributes.enabled)
    const gone = await client.get('/api/v1/notes/notes').bearerToken(owner.token)
    gone.assertStatus(404)
    assert.equal(gone.body().errors[0].code, 'PLUGIN_NOT_ENABLED')
    assert.lengthOf(
      await db.from('notes_hook_calls').where({ tenant_id: owner.tenantId, hook: 'disable' }),
      1
    )
    assert.deepEqual(
      (
        await db
          .from('event_outbox')
          .where({ tenant_id: owner.tenantId, aggregate_type: 'plugin' })
          .orderBy('id')
          .select('name')
      ).map((row) => row.name),
      ['kernel.plugin.enabled', 'kernel.plugin.disabled']
    )

    // data stays: switching back on shows the note again
    ;(await enable(client, owner.token, 'notes')).assertStatus(200)
    const list = await client.get('/api/v1/notes/notes').bearerToken(owner.token)
    assert.deepEqual(
      list.body().data.map((note: any) => note.attributes.body),
      ['first']
    )
  })

  test('dependencies: enabling needs them (or withDependencies), disabling a needed one is a 409', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const refused = await enable(client, owner.token, 'notes-plus')
    refused.assertStatus(409)
    assert.equal(refused.body().errors[0].code, 'PLUGIN_DEPENDENCY_NOT_ENABLED')
    assert.include(refused.body().errors[0].detail, '"notes"')
    assert.deepEqual(refused.body().errors[0].meta.missing, ['notes'])
    assert.lengthOf(await tenantRows(owner.tenantId), 0)

    const both = await enable(client, owner.token, 'notes-plus', { withDependencies: true })
    both.assertStatus(200)
    assert.deepEqual(both.body().meta.switchedOn, ['notes', 'notes-plus'])
    ;(await client.get('/api/v1/notes-plus/summary').bearerToken(owner.token)).assertStatus(200)

    const needed = await disable(client, owner.token, 'notes')
    needed.assertStatus(409)
    assert.equal(needed.body().errors[0].code, 'PLUGIN_REQUIRED_BY')
    assert.include(needed.body().errors[0].detail, '"notes-plus"')
    assert.isTrue(
      (await tenantRows(owner.tenantId)).every((row) => Boolean(row.enabled)),
      'nothing was switched off'
    )

    ;(await disable(client, owner.token, 'notes-plus')).assertStatus(200)
    ;(await disable(client, owner.token, 'notes')).assertStatus(200)
    const audits = await db
      .from('audit_logs')
      .where({ tenant_id: owner.tenantId, subject_type: 'plugin' })
      .orderBy('id')
      .select('action', 'subject_id')
    assert.deepEqual(
      audits.map((row) => `${row.action}:${row.subject_id}`),
      [
        'plugin.enabled:notes',
        'plugin.enabled:notes-plus',
        'plugin.disabled:notes-plus',
        'plugin.disabled:notes',
      ]
    )
  })

  test('bad input: unknown plugin, bad body; nothing changes', async ({ client, assert }) => {
    const owner = await signup(client)
    const unknown = await enable(client, owner.token, 'ghost')
    unknown.assertStatus(404)
    ;(await disable(client, owner.token, 'ghost')).assertStatus(404)
    const badBody = await enable(client, owner.token, 'notes', { withDependencies: 'please' })
    badBody.assertStatus(422)
    assert.equal(badBody.body().errors[0].source.pointer, '/data/attributes/withDependencies')
    const badId = await client.post('/api/v1/plugins/Not_An_Id/enable').bearerToken(owner.token)
    badId.assertStatus(404)
    assert.lengthOf(await tenantRows(owner.tenantId), 0)
    // disabling what is off is a no-op
    const noop = await disable(client, owner.token, 'notes')
    noop.assertStatus(200)
    assert.deepEqual(noop.body().meta.switchedOff, [])
  })

  test('tenant isolation: another tenant neither sees the plugin enabled nor its rows', async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const b = await signup(client)
    ;(await enable(client, a.token, 'notes')).assertStatus(200)
    const note = await client
      .post('/api/v1/notes/notes')
      .bearerToken(a.token)
      .json({ body: 'A only' })
    note.assertStatus(201)

    const closed = await client
      .get(`/api/v1/notes/notes/${note.body().data.id}`)
      .bearerToken(b.token)
    closed.assertStatus(404)
    assert.equal(closed.body().errors[0].code, 'PLUGIN_NOT_ENABLED')
    const catalog = await client.get('/api/v1/plugins/notes').bearerToken(b.token)
    assert.isFalse(catalog.body().data.attributes.enabled)

    ;(await enable(client, b.token, 'notes')).assertStatus(200)
    const list = await client.get('/api/v1/notes/notes').bearerToken(b.token)
    assert.lengthOf(list.body().data, 0)
    ;(
      await client.get(`/api/v1/notes/notes/${note.body().data.id}`).bearerToken(b.token)
    ).assertStatus(404)
    // B switching off does not touch A
    ;(await disable(client, b.token, 'notes')).assertStatus(200)
    ;(await client.get('/api/v1/notes/notes').bearerToken(a.token)).assertStatus(200)
  })

  test('a switch made by another process reaches the gate within the cache TTL', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    ;(await enable(client, owner.token, 'notes')).assertStatus(200)
    ;(await client.get('/api/v1/notes/notes').bearerToken(owner.token)).assertStatus(200)
    // another process writes the switch: this process only learns it from the database
    await db
      .from('tenant_plugins')
      .where({ tenant_id: owner.tenantId, plugin_id: 'notes' })
      .update({ enabled: false })
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 50))
    const closed = await client.get('/api/v1/notes/notes').bearerToken(owner.token)
    closed.assertStatus(404)
    assert.equal(closed.body().errors[0].code, 'PLUGIN_NOT_ENABLED')
  })

  test('a failing enable hook rolls the switch back: 409, no row, no audit, no event', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    await db
      .table('notes_hook_calls')
      .insert({ tenant_id: owner.tenantId, hook: 'fail-next-enable' })
    const failed = await enable(client, owner.token, 'notes')
    failed.assertStatus(409)
    assert.equal(failed.body().errors[0].code, 'PLUGIN_HOOK_FAILED')
    assert.include(failed.body().errors[0].detail, 'told to fail')
    assert.lengthOf(await tenantRows(owner.tenantId), 0)
    assert.lengthOf(
      await db.from('audit_logs').where({ tenant_id: owner.tenantId, subject_type: 'plugin' }),
      0
    )
    assert.lengthOf(
      await db.from('event_outbox').where({ tenant_id: owner.tenantId, aggregate_type: 'plugin' }),
      0
    )
    ;(await client.get('/api/v1/notes/notes').bearerToken(owner.token)).assertStatus(404)
  })

  test('a plugin uninstalled from the platform cannot be enabled', async ({ client, assert }) => {
    const owner = await signup(client)
    const now = DateTime.now().toFormat(db.connection().dialect.dateTimeFormat)
    await db.table('plugin_installations').insert({
      plugin_id: 'notes-plus',
      version: '1.2.0',
      state: 'uninstalled',
      installed_at: now,
      updated_at: now,
    })
    try {
      const refused = await enable(client, owner.token, 'notes-plus', { withDependencies: true })
      refused.assertStatus(409)
      assert.equal(refused.body().errors[0].code, 'PLUGIN_UNINSTALLED')
      assert.lengthOf(await tenantRows(owner.tenantId), 0)
      const catalog = await client.get('/api/v1/plugins/notes-plus').bearerToken(owner.token)
      assert.equal(catalog.body().data.attributes.installation.state, 'uninstalled')
    } finally {
      await db.from('plugin_installations').where('plugin_id', 'notes-plus').delete()
    }
  })
})
