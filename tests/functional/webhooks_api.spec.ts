import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { signup, login } from '#tests/helpers'
import { targetPolicy } from '#webhooks/target_guard'

const hook = (attributes: Record<string, unknown>) => ({ data: { attributes } })
const countWebhooks = async () => Number((await db.from('webhooks').count('* as n'))[0].n)
const auditOf = (action: string, subjectId: string) =>
  db.from('audit_logs').where({ action, subject_id: subjectId }).first()

test.group('Webhooks API', (group) => {
  group.each.teardown(() => {
    targetPolicy.allowPrivate = true
  })

  test('create shows the secret once, stores it encrypted; read, update, delete are audited', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const created = await client
      .post('/api/v1/webhooks')
      .bearerToken(owner.token)
      .json(
        hook({
          url: 'https://hooks.example.com/plinth',
          events: ['ledger.entry.*', 'kernel.webhook.ping'],
          description: 'books',
        })
      )
    created.assertStatus(201)
    const { id, attributes } = created.body().data
    assert.match(attributes.secret, /^whsec_[\w-]{20,}$/)
    assert.isTrue(attributes.active)
    assert.deepEqual(attributes.events, ['ledger.entry.*', 'kernel.webhook.ping'])
    const stored = await db.from('webhooks').where('id', id).first()
    assert.notInclude(stored.secret, attributes.secret)
    assert.notInclude(stored.secret, attributes.secret.slice(6, 20))

    const shown = await client.get(`/api/v1/webhooks/${id}`).bearerToken(owner.token)
    shown.assertStatus(200)
    assert.equal(shown.body().data.attributes.secret, `…${attributes.secret.slice(-4)}`)
    assert.notInclude(shown.text(), attributes.secret)
    assert.exists(await auditOf('webhook.created', id))

    const updated = await client
      .patch(`/api/v1/webhooks/${id}`)
      .bearerToken(owner.token)
      .json(hook({ active: false, events: ['*'], secret: 'a-brand-new-secret-value' }))
    updated.assertStatus(200)
    assert.isFalse(updated.body().data.attributes.active)
    assert.equal(updated.body().data.attributes.secret, '…alue')
    const audited = await auditOf('webhook.updated', id)
    assert.exists(audited)
    assert.notInclude(audited.meta, 'a-brand-new-secret-value')

    const list = await client.get('/api/v1/webhooks?filter[active]=false').bearerToken(owner.token)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((row: any) => row.id),
      [id]
    )

    ;(await client.delete(`/api/v1/webhooks/${id}`).bearerToken(owner.token)).assertStatus(204)
    assert.notExists(await db.from('webhooks').where('id', id).first())
    assert.exists(await auditOf('webhook.deleted', id))
    ;(await client.get(`/api/v1/webhooks/${id}`).bearerToken(owner.token)).assertStatus(404)
  })

  test('bad input: 422 with pointers, nothing written', async ({ client, assert }) => {
    const owner = await signup(client)
    const before = await countWebhooks()
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://example.com/x', events: ['*'] }, '/data/attributes/url'],
      [{ url: 'javascript:alert(1)', events: ['*'] }, '/data/attributes/url'],
      [{ url: 'not a url', events: ['*'] }, '/data/attributes/url'],
      [{ events: ['*'] }, '/data/attributes/url'],
      [{ url: 'https://example.com', events: [] }, '/data/attributes/events'],
      [{ url: 'https://example.com', events: ['Ledger..x'] }, '/data/attributes/events/0'],
      [{ url: 'https://example.com', events: ['*'], secret: 'short' }, '/data/attributes/secret'],
      [{ url: 'https://example.com', events: ['*'], active: 'maybe' }, '/data/attributes/active'],
    ]
    for (const [attributes, pointer] of cases) {
      const response = await client
        .post('/api/v1/webhooks')
        .bearerToken(owner.token)
        .json(hook(attributes))
      response.assertStatus(422)
      const error = response.body().errors[0]
      assert.equal(error.code, 'VALIDATION_ERROR', JSON.stringify(attributes))
      assert.equal(error.source.pointer, pointer, JSON.stringify(attributes))
    }
    const scheme = await client
      .post('/api/v1/webhooks')
      .bearerToken(owner.token)
      .json(hook({ url: 'ftp://example.com/x', events: ['*'] }))
    assert.include(scheme.body().errors[0].detail, 'http')
    assert.equal(await countWebhooks(), before)

    // a bad PATCH changes nothing
    const created = await client
      .post('/api/v1/webhooks')
      .bearerToken(owner.token)
      .json(hook({ url: 'https://example.com/a', events: ['*'] }))
    const id = created.body().data.id
    const patch = await client
      .patch(`/api/v1/webhooks/${id}`)
      .bearerToken(owner.token)
      .json(hook({ url: 'gopher://example.com', active: false }))
    patch.assertStatus(422)
    const row = await db.from('webhooks').where('id', id).first()
    assert.equal(row.url, 'https://example.com/a')
    assert.isTrue(Boolean(row.active))
  })

  test('SSRF: private, loopback, link-local and reserved targets are refused when not allowed', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    targetPolicy.allowPrivate = false
    const before = await countWebhooks()
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://172.16.0.1/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/hook',
      'http://0.0.0.0/hook',
      'http://[::1]/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://2130706433/hook',
      'http://224.0.0.1/hook',
    ]) {
      const response = await client
        .post('/api/v1/webhooks')
        .bearerToken(owner.token)
        .json(hook({ url, events: ['*'] }))
      response.assertStatus(422)
      assert.equal(response.body().errors[0].source.pointer, '/data/attributes/url', url)
    }
    assert.equal(await countWebhooks(), before)
    // a public address is fine
    ;(
      await client
        .post('/api/v1/webhooks')
        .bearerToken(owner.token)
        .json(hook({ url: 'https://93.184.216.34/hook', events: ['*'] }))
    ).assertStatus(201)
  })

  test("another tenant's webhook is a 404; lists are per tenant; permissions are checked", async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const b = await signup(client)
    const created = await client
      .post('/api/v1/webhooks')
      .bearerToken(a.token)
      .json(hook({ url: 'https://example.com/a', events: ['*'] }))
    const id = created.body().data.id
    ;(await client.get(`/api/v1/webhooks/${id}`).bearerToken(b.token)).assertStatus(404)
    ;(
      await client
        .patch(`/api/v1/webhooks/${id}`)
        .bearerToken(b.token)
        .json(hook({ active: false }))
    ).assertStatus(404)
    ;(await client.delete(`/api/v1/webhooks/${id}`).bearerToken(b.token)).assertStatus(404)
    ;(await client.get(`/api/v1/webhooks/${id}/deliveries`).bearerToken(b.token)).assertStatus(404)
    ;(await client.post(`/api/v1/webhooks/${id}/ping`).bearerToken(b.token)).assertStatus(404)
    const listB = await client.get('/api/v1/webhooks').bearerToken(b.token)
    assert.lengthOf(listB.body().data, 0)
    assert.isTrue(Boolean((await db.from('webhooks').where('id', id).first()).active))

    // a worker holds neither webhooks.read nor webhooks.write
    const worker = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(a.token)
        .json({ email: worker.email, role: 'worker' })
    ).assertStatus(201)
    const token = await login(client, worker.email, a.slug)
    ;(await client.get('/api/v1/webhooks').bearerToken(token)).assertStatus(403)
    ;(
      await client
        .post('/api/v1/webhooks')
        .bearerToken(token)
        .json(hook({ url: 'https://example.com/w', events: ['*'] }))
    ).assertStatus(403)
  })
})
