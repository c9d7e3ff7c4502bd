import Tenant from '#models/tenant'
import { unique } from '#tests/helpers'

/* Test helpers of the jobs specs. */

/* A job name no other test (or run) uses. */
export const jobName = (what = 'job') => `t${unique()}.jobs.${what}`

export async function createTenant() {
  const id = unique()
  return Tenant.create({ slug: `jobs-${id}`, name: `Jobs ${id}`, requireTwoFactor: false })
}

/* Polls until `check` returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition'
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
