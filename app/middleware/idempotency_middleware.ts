import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import {
  IDEMPOTENCY_HEADER,
  REPLAYED_HEADER,
  claim,
  complete,
  keyReused,
  parseKey,
  release,
  requestHash,
  requestInProgress,
  scopeOf,
} from '#http/idempotency'

/*
 * Replays the first answer to a POST sent with an Idempotency-Key. It sits
 * after authentication and the permission check (the `.describe()` macro adds
 * it to POST routes), so keys are scoped to the token's user and tenant and a
 * refused request leaves no key behind.
 */
export default class IdempotencyMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.method() !== 'POST') return next()
    const key = parseKey(ctx.request.header(IDEMPOTENCY_HEADER))
    if (key === null) return next()

    const hash = requestHash('POST', ctx.request.url(true), ctx.request.body())
    const claimed = await claim(scopeOf(ctx), key, hash)
    switch (claimed.outcome) {
      case 'reused':
        throw keyReused()
      case 'in_progress':
        throw requestInProgress()
      case 'replay':
        ctx.response.header(REPLAYED_HEADER, 'true')
        ctx.response.status(claimed.answer.status)
        if (claimed.answer.body !== null) ctx.response.json(claimed.answer.body)
        return
    }

    // errors thrown further down are already rendered into ctx.response when next() resolves
    try {
      await next()
    } catch (error) {
      await release(claimed.id)
      throw error
    }
    const status = ctx.response.getStatus()
    const body = ctx.response.getBody()
    const storable = !ctx.response.hasStream && !ctx.response.hasFileToStream
    if (status >= 500 || !storable) {
      await release(claimed.id)
    } else {
      await complete(claimed.id, { status, body })
    }
  }
}
