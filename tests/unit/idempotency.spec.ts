import { test } from '@japa/runner'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import IdempotencyMiddleware from '#middleware/idempotency_middleware'
import { parseKey, requestHash } from '#http/idempotency'
import { ApiError } from '#http/api_error'
import { unique } from '#tests/helpers'

/* A POST context as the router hands it to the middleware. */
async function postContext(key: string, body: Record<string, unknown>) {
  const req = new IncomingMessage(new Socket())
  req.method = 'POST'
  req.url = '/api/v1/things'
  req.headers = { 'idempotency-key': key }
  const ctx = await testUtils.createHttpContext({ req, res: new ServerResponse(req) })
  ctx.request.updateBody(body)
  return ctx
}

const rows = (key: string) => db.from('idempotency_keys').where('key', key)

test.group('Idempotency keys', () => {
  test('the request hash ignores key order but not method, path or values', ({ assert }) => {
    const base = requestHash('POST', '/api/v1/roles', { a: 1, b: { c: [1, 2], d: 'x' } })
    assert.equal(base, requestHash('post', '/api/v1/roles', { b: { d: 'x', c: [1, 2] }, a: 1 }))
    assert.notEqual(
      base,
      requestHash('POST', '/api/v1/members', { a: 1, b: { c: [1, 2], d: 'x' } })
    )
    assert.notEqual(base, requestHash('POST', '/api/v1/roles', { a: 1, b: { c: [2, 1], d: 'x' } }))
    assert.notEqual(
      base,
      requestHash('POST', '/api/v1/roles', { a: '1', b: { c: [1, 2], d: 'x' } })
    )
  })

  test('keys are 1 to 255 printable characters', ({ assert }) => {
    assert.isNull(parseKey(undefined))
    assert.equal(parseKey(' 3f1c-key '), '3f1c-key')
    assert.equal(parseKey('k'.repeat(255)), 'k'.repeat(255))
    for (const bad of ['', '   ', 'k'.repeat(256), 'line\nbreak', 'caf\u00e9']) {
      assert.throws(() => parseKey(bad), /Idempotency-Key must be/)
    }
  })

  test('a 5xx answer is not stored: the retry runs again', async ({ assert }) => {
    const key = `five-${unique()}`
    const middleware = new IdempotencyMiddleware()
    let runs = 0

    const first = await postContext(key, { n: 1 })
    await middleware.handle(first, async () => {
      runs++
      first.response.status(503).send({ errors: [{ status: '503' }] })
    })
    assert.lengthOf(await rows(key), 0)

    const retry = await postContext(key, { n: 1 })
    await middleware.handle(retry, async () => {
      runs++
      retry.response.status(201).send({ data: { id: '7' } })
    })
    assert.equal(runs, 2)
    const [row] = await rows(key)
    assert.equal(row.status_code, 201)

    const third = await postContext(key, { n: 1 })
    await middleware.handle(third, async () => {
      runs++
    })
    assert.equal(runs, 2)
    assert.equal(third.response.getStatus(), 201)
    assert.deepEqual(third.response.getBody(), { data: { id: '7' } })
    assert.equal(third.response.getHeader('Idempotent-Replayed'), 'true')
  })

  test('an error escaping the handler frees the key', async ({ assert }) => {
    const key = `throw-${unique()}`
    const ctx = await postContext(key, {})
    await assert.rejects(
      () =>
        new IdempotencyMiddleware().handle(ctx, async () => {
          throw new ApiError(500, 'BOOM', 'boom')
        }),
      'boom'
    )
    assert.lengthOf(await rows(key), 0)
  })

  test('requests without a key pass straight through', async ({ assert }) => {
    const ctx = await postContext('', {})
    delete ctx.request.request.headers['idempotency-key']
    let ran = false
    await new IdempotencyMiddleware().handle(ctx, async () => {
      ran = true
    })
    assert.isTrue(ran)
  })
})
