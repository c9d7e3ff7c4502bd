import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { ConnectionConfig } from '@adonisjs/lucid/types/database'
import { signup, unique } from '#tests/helpers'
import { redisConfigured } from '#ops/health'

/* The value of one sample line of the Prometheus exposition, 0 when absent. */
function sample(exposition: string, metric: string, labels: Record<string, string>) {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue
    const labelText = line.slice(metric.length + 1, line.lastIndexOf('}'))
    const present = labelText.split(',')
    if (wanted.every((pair) => present.includes(pair)))
      return Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return 0
}

test.group('Operations: health', () => {
  test('live answers without touching dependencies', async ({ client }) => {
    const response = await client.get('/health/live')
    response.assertStatus(200)
    response.assertBody({ status: 'ok' })
  })

  test('probes and scrapers start no session: no cookies, shield headers kept', async ({
    client,
    assert,
  }) => {
    for (const url of ['/health/live', '/health/ready', '/metrics']) {
      const response = await client.get(url)
      response.assertStatus(200)
      assert.isUndefined(response.header('set-cookie'), url)
      assert.equal(response.header('x-frame-options'), 'DENY', url)
    }
    // pages still get theirs
    const page = await client.get('/login')
    assert.isDefined(page.header('set-cookie'))
  })

  test('ready runs a real query on the configured database', async ({ client, assert }) => {
    const response = await client.get('/health/ready')
    response.assertStatus(200)
    const body = response.body()
    assert.equal(body.status, 'ok')
    assert.equal(body.checks.database.status, 'ok')
    assert.equal(body.checks.database.dialect, db.connection().dialect.name)
    if (redisConfigured()) {
      assert.equal(body.checks.redis.status, 'ok')
    } else {
      assert.notProperty(body.checks, 'redis')
    }
  })

  test('ready answers 503 with the failing check when the database is unreachable', async ({
    client,
    assert,
    cleanup,
  }) => {
    const name = db.primaryConnectionName
    const original = db.manager.get(name)!.config
    // a real failure: nothing listens on port 1, and SQLite cannot create a file in a missing directory
    const broken = (
      original.client === 'pg'
        ? { ...original, connection: { ...(original.connection as object), port: 1 } }
        : { ...original, connection: { filename: '/nonexistent-plinth-dir/db.sqlite3' } }
    ) as ConnectionConfig
    db.manager.patch(name, broken)
    cleanup(() => db.manager.patch(name, original))

    const response = await client.get('/health/ready')
    response.assertStatus(503)
    const body = response.body()
    assert.equal(body.status, 'error')
    assert.equal(body.checks.database.status, 'error')
    assert.isString(body.checks.database.message)
    assert.notProperty(body.checks.database, 'error')
  })
})

test.group('Operations: request ids', () => {
  test('every answer carries a generated X-Request-Id', async ({ client, assert }) => {
    const first = await client.get('/health/live')
    const second = await client.get('/no-such-page')
    const ids = [first.header('x-request-id'), second.header('x-request-id')]
    assert.isTrue(ids.every((id) => typeof id === 'string' && id.length >= 8))
    assert.notEqual(ids[0], ids[1])
  })

  test('a sane incoming X-Request-Id is kept, anything else replaced', async ({
    client,
    assert,
  }) => {
    const kept = await client.get('/health/live').header('X-Request-Id', 'lb-7f3a.19:abc')
    assert.equal(kept.header('x-request-id'), 'lb-7f3a.19:abc')

    const hostile = '<script>alert(1)</script> ; drop table users'
    const replaced = await client.get('/health/live').header('X-Request-Id', hostile)
    assert.notEqual(replaced.header('x-request-id'), hostile)
    assert.match(String(replaced.header('x-request-id')), /^[0-9a-f-]{36}$/)

    const tooLong = await client.get('/health/live').header('X-Request-Id', 'a'.repeat(129))
    assert.lengthOf(String(tooLong.header('x-request-id')), 36)
  })

  test('API errors carry the request id too', async ({ client, assert }) => {
    const response = await client.get('/api/v1/me').header('X-Request-Id', 'trace-401')
    response.assertStatus(401)
    assert.equal(response.header('x-request-id'), 'trace-401')
  })
})

test.group('Operations: metrics', () => {
  test('exposes Prometheus text with process metrics', async ({ client, assert }) => {
    const response = await client.get('/metrics')
    response.assertStatus(200)
    assert.match(String(response.header('content-type')), /^text\/plain/)
    assert.include(response.text(), '# TYPE http_request_duration_seconds histogram')
    assert.include(response.text(), '# TYPE http_requests_total counter')
    assert.include(response.text(), 'process_cpu_user_seconds_total')
    assert.include(response.text(), 'nodejs_heap_size_used_bytes')
    // the scrape itself is the one request in flight
    assert.match(response.text(), /^http_requests_in_flight 1$/m)
  })

  test('a request is counted under its route pattern, not its URL', async ({ client, assert }) => {
    const owner = await signup(client)
    const labels = { method: 'GET', route: '/api/v1/members/:id', status: '404' }
    const before = (await client.get('/metrics')).text()

    ;(await client.get('/api/v1/members/987654321').bearerToken(owner.token)).assertStatus(404)

    const after = (await client.get('/metrics')).text()
    assert.equal(
      sample(after, 'http_requests_total', labels) - sample(before, 'http_requests_total', labels),
      1
    )
    assert.equal(
      sample(after, 'http_request_duration_seconds_count', labels) -
        sample(before, 'http_request_duration_seconds_count', labels),
      1
    )
    const inf = sample(after, 'http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })
    assert.equal(inf, sample(after, 'http_request_duration_seconds_count', labels))
    assert.notInclude(after, '987654321')
  })

  test('routes that match nothing share one label', async ({ client, assert }) => {
    const labels = { method: 'GET', route: 'unmatched', status: '404' }
    const before = sample((await client.get('/metrics')).text(), 'http_requests_total', labels)
    await client.get('/no-such-page/12345')
    const after = (await client.get('/metrics')).text()
    assert.equal(sample(after, 'http_requests_total', labels), before + 1)
    assert.notInclude(after, '/no-such-page')
  })
})

test.group('Operations: static files', () => {
  test('files in public/ are served; bundle files are cached for good', async ({
    client,
    assert,
    cleanup,
  }) => {
    const name = `ops-test-${unique()}`
    const plain = app.publicPath(`${name}.txt`)
    const bundled = app.publicPath(`assets/${name}.js`)
    await mkdir(dirname(bundled), { recursive: true })
    await writeFile(plain, 'plain file')
    await writeFile(bundled, 'console.log(1)')
    cleanup(async () => {
      await rm(plain, { force: true })
      await rm(bundled, { force: true })
    })

    const text = await client.get(`/${name}.txt`)
    text.assertStatus(200)
    assert.equal(text.text(), 'plain file')
    assert.notInclude(String(text.header('cache-control')), 'immutable')

    const script = await client.get(`/assets/${name}.js`)
    script.assertStatus(200)
    assert.equal(script.header('cache-control'), 'public, max-age=31536000, immutable')
    assert.isString(script.header('x-request-id'))

    ;(await client.get('/assets/.vite/manifest.json')).assertStatus(404)
    ;(await client.get(`/${name}-missing.txt`)).assertStatus(404)
  })
})
