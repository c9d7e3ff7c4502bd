import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import { signup } from '#tests/helpers'
import { SECRET_MASK } from '#plugins/plugin_settings'

const put = (client: ApiClient, token: string, attributes: Record<string, unknown>) =>
  client.put('/api/v1/plugins/notes/settings').bearerToken(token).json({ data: { attributes } })

async function storedSettings(tenantId: string) {
  const row = await db
    .from('tenant_plugins')
    .where({ tenant_id: tenantId, plugin_id: 'notes' })
    .first()
  return row ? (JSON.parse(row.settings) as Record<string, unknown>) : null
}

test.group('Plugins API: settings', () => {
  test('settings are validated against the plugin schema: 422 with pointers, nothing stored', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const empty = await client.get('/api/v1/plugins/notes/settings').bearerToken(owner.token)
    empty.assertStatus(200)
    assert.deepEqual(empty.body().data.attributes, {})
    assert.deepEqual(empty.body().meta.secrets, ['apiKey'])
    assert.equal(empty.body().meta.schema.properties.limit.type, 'integer')

    const bad = await put(client, owner.token, { limit: 0, colour: 'red', apiKey: 'short' })
    bad.assertStatus(422)
    const pointers = bad
      .body()
      .errors.map((error: any) => error.source.pointer)
      .sort()
    assert.deepEqual(pointers, [
      '/data/attributes/apiKey',
      '/data/attributes/colour',
      '/data/attributes/limit',
    ])
    assert.isTrue(bad.body().errors.every((error: any) => error.code === 'VALIDATION_ERROR'))
    assert.isNull(await storedSettings(owner.tenantId))

    const notObject = await client
      .put('/api/v1/plugins/notes/settings')
      .bearerToken(owner.token)
      .json([1, 2])
    notObject.assertStatus(422)
    ;(await client.get('/api/v1/plugins/ghost/settings').bearerToken(owner.token)).assertStatus(404)
  })

  test('secrets are encrypted at rest, masked on read, kept when omitted or sent masked', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const saved = await put(client, owner.token, {
      greeting: 'hi',
      limit: 5,
      apiKey: 'sk-live-123456',
    })
    saved.assertStatus(200)
    assert.deepEqual(saved.body().data.attributes, {
      greeting: 'hi',
      limit: 5,
      apiKey: SECRET_MASK,
    })
    const stored = await storedSettings(owner.tenantId)
    assert.equal(stored!.greeting, 'hi')
    assert.notInclude(JSON.stringify(stored), 'sk-live-123456')
    assert.isString(stored!.apiKey)

    const read = await client.get('/api/v1/plugins/notes/settings').bearerToken(owner.token)
    assert.equal(read.body().data.attributes.apiKey, SECRET_MASK)
    assert.notInclude(read.text(), 'sk-live-123456')

    // the plugin itself reads the clear value (settings.read), once enabled
    ;(await client.post('/api/v1/plugins/notes/enable').bearerToken(owner.token)).assertStatus(200)
    const echo = async () =>
      (await client.get('/api/v1/notes/settings-echo').bearerToken(owner.token)).body().data
        .attributes
    assert.equal((await echo()).apiKey, 'sk-live-123456')

    // omitted: kept; masked: kept; other fields replaced
    ;(await put(client, owner.token, { greeting: 'hello' })).assertStatus(200)
    assert.deepEqual(await echo(), { greeting: 'hello', apiKey: 'sk-live-123456' })
    ;(await put(client, owner.token, { limit: 7, apiKey: SECRET_MASK })).assertStatus(200)
    assert.deepEqual(await echo(), { limit: 7, apiKey: 'sk-live-123456' })
    ;(await put(client, owner.token, { apiKey: 'sk-live-rotated' })).assertStatus(200)
    assert.equal((await echo()).apiKey, 'sk-live-rotated')

    const audits = await db
      .from('audit_logs')
      .where({ tenant_id: owner.tenantId, action: 'plugin.settings.updated' })
      .orderBy('id')
    assert.lengthOf(audits, 4)
    assert.notInclude(JSON.stringify(audits), 'sk-live')
    const firstMeta =
      typeof audits[0].meta === 'string' ? JSON.parse(audits[0].meta) : audits[0].meta
    assert.sameMembers(firstMeta.changed, ['greeting', 'limit', 'apiKey'])
  })

  test('each tenant has its own settings', async ({ client, assert }) => {
    const a = await signup(client)
    const b = await signup(client)
    ;(await put(client, a.token, { greeting: 'from A', apiKey: 'secret-of-a' })).assertStatus(200)
    const readB = await client.get('/api/v1/plugins/notes/settings').bearerToken(b.token)
    assert.deepEqual(readB.body().data.attributes, {})
    ;(await client.post('/api/v1/plugins/notes/enable').bearerToken(b.token)).assertStatus(200)
    const echoB = await client.get('/api/v1/notes/settings-echo').bearerToken(b.token)
    assert.deepEqual(echoB.body().data.attributes, {})
  })
})
