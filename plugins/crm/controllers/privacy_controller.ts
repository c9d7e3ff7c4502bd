import type { HttpContext } from '@adonisjs/core/http'
import { resource, single } from '#plinth'
import { clientTimeline, eraseClient, exportClient } from '../services/client_privacy.js'
import { clientResource } from '../services/client_resource.js'
import { loadClient } from '../services/client_writer.js'

export default class PrivacyController {
  /* GET /clients/:id/export: everything held about the client, by plugin */
  async export({ params }: HttpContext) {
    const data = await exportClient(params.id)
    return single(resource('crm-client-export', params.id, data))
  }

  /* POST /clients/:id/erase */
  async erase({ params }: HttpContext) {
    await eraseClient(params.id)
    return single(clientResource(await loadClient(params.id)))
  }

  /* GET /clients/:id/timeline */
  async timeline({ params }: HttpContext) {
    const entries = await clientTimeline(params.id)
    return {
      data: entries.map((entry, index) =>
        resource('crm-timeline-entry', `${params.id}-${index}`, entry)
      ),
    }
  }
}
