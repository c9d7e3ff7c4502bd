import { randomUUID } from 'node:crypto'

/*
 * An incoming X-Request-Id is kept when it looks like an id (a proxy or the
 * caller correlating its own logs); anything else is replaced, so log lines and
 * audit rows never carry arbitrary client text.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@\/+=-]{1,128}$/

export function isSaneRequestId(value: unknown): value is string {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value)
}

export function newRequestId() {
  return randomUUID()
}
