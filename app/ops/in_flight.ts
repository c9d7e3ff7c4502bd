import { setTimeout as sleep } from 'node:timers/promises'

/*
 * Requests still being handled. On SIGTERM the HTTP server closes as soon as
 * its sockets are gone, which can be before handlers whose client hung up have
 * finished; shutdown then closes the database pool under them, their next query
 * opens a new pool, and the process never exits. Shutdown waits for this count
 * to reach zero first (see request_log_middleware).
 */
class InFlight {
  #count = 0
  #waiters: Array<() => void> = []

  get count() {
    return this.#count
  }

  started() {
    this.#count++
  }

  finished() {
    this.#count--
    if (this.#count === 0) for (const wake of this.#waiters.splice(0)) wake()
  }

  /* Resolves once nothing is in flight, or after `timeoutMs` whatever is left. */
  async drained(timeoutMs: number) {
    if (this.#count === 0) return
    const abort = new AbortController()
    await Promise.race([
      new Promise<void>((resolve) => this.#waiters.push(resolve)),
      sleep(timeoutMs, undefined, { signal: abort.signal }).catch(() => {}),
    ])
    abort.abort()
  }
}

export const inFlight = new InFlight()
