import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { inFlight } from '#ops/in_flight'

/*
 * Prometheus metrics for this process. A registry of our own (not prom-client's
 * global one) so a second import, e.g. under a test runner, cannot register twice.
 */
export const registry = new Registry()
collectDefaultMetrics({ register: registry })

const LABELS = ['method', 'route', 'status'] as const

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status',
  labelNames: LABELS,
  registers: [registry],
})

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency in seconds, by method, route pattern and status',
  labelNames: LABELS,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
})

new Gauge({
  name: 'http_requests_in_flight',
  help: 'HTTP requests being handled right now',
  registers: [registry],
  collect() {
    this.set(inFlight.count)
  },
})

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/*
 * Labels stay low-cardinality: the route pattern ("/api/v1/members/:id"), never
 * the raw URL; requests that matched no route share one label.
 */
export function observeRequest(
  method: string,
  route: string | undefined,
  status: number,
  seconds: number
) {
  const labels = {
    method: KNOWN_METHODS.has(method) ? method : 'OTHER',
    route: route ?? 'unmatched',
    status: String(status),
  }
  httpRequests.inc(labels)
  httpDuration.observe(labels, seconds)
}
