import type { HttpContext } from '@adonisjs/core/http'
import { readiness } from '#ops/health'

export default class HealthController {
  /* GET /health/ready: 200 when every dependency answers, 503 with each check's result otherwise. */
  async ready({ response }: HttpContext) {
    const report = await readiness()
    response.header('Cache-Control', 'no-store')
    return response
      .status(report.healthy ? 200 : 503)
      .send({ status: report.status, checks: report.checks })
  }
}
