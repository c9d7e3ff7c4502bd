import type { PluginContext } from '#plinth'
import { defineEvent } from '#plinth'

/*
 * The CRM plugin's kernel context, handed over at boot (routes) and to jobs.
 * Services read the tenant's settings and publish events through it.
 */
let current: PluginContext | null = null

export const crmPlugin = {
  use(context: PluginContext) {
    current = context
  },
  get context(): PluginContext {
    if (!current) throw new Error('The CRM plugin is used before the kernel booted it')
    return current
  },
}

export type CrmSettings = {
  /* ISO country used for phone numbers written without "+" */
  defaultCountry?: string
  /* JSON Schema the clients' custom fields must match */
  customFieldsSchema?: Record<string, unknown>
}

export async function crmSettings(): Promise<CrmSettings> {
  return (await crmPlugin.context.use('settings.read').get()) as CrmSettings
}

const CLIENT_EVENT_SCHEMA = {
  type: 'object',
  required: ['clientId'],
  properties: {
    clientId: { type: 'integer' },
    kind: { type: 'string' },
    status: { type: 'string' },
    changes: { type: 'array', items: { type: 'string' } },
  },
}

export const CLIENT_EVENTS = ['created', 'updated', 'archived', 'erased'] as const
for (const verb of CLIENT_EVENTS) {
  defineEvent({ name: `crm.client.${verb}`, version: 1, schema: CLIENT_EVENT_SCHEMA })
}
