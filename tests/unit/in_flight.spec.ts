import { test } from '@japa/runner'
import { inFlight } from '#ops/in_flight'

test.group('In-flight requests (graceful shutdown)', () => {
  test('drained() waits until the last request finishes', async ({ assert }) => {
    inFlight.started()
    inFlight.started()
    let drained = false
    const waiting = inFlight.drained(5000).then(() => (drained = true))

    inFlight.finished()
    await new Promise((resolve) => setImmediate(resolve))
    assert.isFalse(drained)
    assert.equal(inFlight.count, 1)

    inFlight.finished()
    await waiting
    assert.isTrue(drained)
    assert.equal(inFlight.count, 0)
  })

  test('drained() gives up after its timeout', async ({ assert }) => {
    inFlight.started()
    const started = Date.now()
    await inFlight.drained(50)
    assert.isAtLeast(Date.now() - started, 45)
    assert.equal(inFlight.count, 1)
    inFlight.finished()
  })

  test('drained() answers at once when nothing is in flight', async ({ assert }) => {
    const started = Date.now()
    await inFlight.drained(5000)
    assert.isBelow(Date.now() - started, 100)
  })
})
