import type { HttpContext } from '@adonisjs/core/http'
import { registry } from '#ops/metrics'

export default class MetricsController {
  /* GET /metrics: Prometheus text exposition of this process's registry. */
  async show({ response }: HttpContext) {
    response.header('Content-Type', registry.contentType)
    response.header('Cache-Control', 'no-store')
    return response.send(await registry.metrics())
  }
}
