import { setTimeout as sleep } from 'node:timers/promises'
import { ApiError } from '#plinth'

/*
 * A booking change that lost a race inside the database is run again, whole
 * (placement, checks and transaction), a few times: PostgreSQL aborts one of
 * two transactions that wait on each other (two conflicting holds checked by
 * the exclusion constraint at the same moment, or a swap of two appointments'
 * times), SQLite may report its file busy, and PostgreSQL refuses a new
 * connection while every process's pools together reach max_connections. The rerun reads what the winner
 * committed, so it ends in a 201 or a clear 409/422. Nothing the aborted
 * attempt wrote survives its rollback (events, audit and a new CRM client
 * are in the same transaction).
 */
const RETRYABLE = new Set([
  '40P01', // deadlock_detected
  '40001', // serialization_failure
  '55P03', // lock_not_available
  // refused at connect, before anything ran: every helper's pool is full (max_connections)
  '53300', // too_many_connections
  '57P03', // cannot_connect_now
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
])

/*
 * The database could not be reached in time: the connection pool stayed full
 * (Knex's acquire timeout, already a long wait), or the connection broke (a
 * rerun could not know whether the first attempt committed).
 */
const UNAVAILABLE = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08006', // connection_failure
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
])

export const ATTEMPTS = 4
const RETRY_AFTER_SECONDS = 2

type DatabaseError = { code?: unknown; name?: unknown; message?: unknown }

const codeOf = (error: unknown) => String((error as DatabaseError | null)?.code ?? '')

export const isRetryable = (error: unknown) => RETRYABLE.has(codeOf(error))

const refusedConnection = (error: unknown) => ['53300', '57P03'].includes(codeOf(error))

export function isUnavailable(error: unknown) {
  const { name, message } = (error ?? {}) as DatabaseError
  return (
    name === 'KnexTimeoutError' ||
    UNAVAILABLE.has(codeOf(error)) ||
    (typeof message === 'string' && /timeout exceeded when trying to connect/i.test(message))
  )
}

export const busy = () =>
  new ApiError(
    503,
    'SERVICE_BUSY',
    'Bookings are busy right now; nothing was booked or changed. Retry after the Retry-After delay',
    { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } }
  )

/*
 * Runs `attempt` until it settles: a retryable database error runs it again
 * (at most ATTEMPTS times, with a short random pause so the racers part);
 * still losing, or no connection to be had, is a 503 with Retry-After, never
 * a 500.
 */
export async function withRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let run = 1; ; run++) {
    try {
      return await attempt()
    } catch (error) {
      if (isUnavailable(error)) throw busy()
      if (!isRetryable(error)) throw error
      if (run >= ATTEMPTS) throw busy()
      // racers part after a few ms; a full server needs others' requests to finish first
      const pause = refusedConnection(error) ? 100 : 10
      await sleep(pause * run * (0.5 + Math.random()))
    }
  }
}

/*
 * Reads back a change that has committed: a full pool or a refused connection
 * is waited out longer (a booking made must not be reported as not made);
 * only if the database stays out of reach is it a 503 that says the change
 * was saved.
 */
export async function readCommitted<T>(read: () => Promise<T>): Promise<T> {
  for (let run = 1; ; run++) {
    try {
      return await read()
    } catch (error) {
      if (!isUnavailable(error) && !isRetryable(error)) throw error
      if (run >= 2 * ATTEMPTS)
        throw new ApiError(
          503,
          'SERVICE_BUSY',
          'The change was saved but cannot be read back right now; GET it after the Retry-After delay',
          { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } }
        )
      await sleep(100 * run * (0.5 + Math.random()))
    }
  }
}
