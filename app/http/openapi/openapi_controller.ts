import type { HttpContext } from '@adonisjs/core/http'
import { openApiJson } from '#http/openapi/document'

export default class OpenApiController {
  /* GET /api/v1/openapi.json: the OpenAPI 3.1 document of every /api/v1 route. */
  async show({ response }: HttpContext) {
    response.header('Content-Type', 'application/json; charset=utf-8')
    response.header('Cache-Control', 'public, max-age=300')
    return response.send(openApiJson())
  }
}
