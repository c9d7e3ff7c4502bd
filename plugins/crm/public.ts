import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { isPluginEnabled } from '#plinth'
import type { CreateClientInput } from './services/client_writer.js'

/*
 * The CRM plugin's public surface for other plugins (import "plugins/crm/public"
 * or, packaged, the plugin's "./public" export). A plugin that holds data about
 * clients registers a contribution at import time:
 *
 *   crmExtensions.register({
 *     pluginId: 'salon',
 *     export: (clientId) => ({ bookings: [...] }),
 *     erase: (clientId, trx) => ...anonymise, in the erase transaction...,
 *     timeline: (clientId) => [{ at, type: 'salon.booking', title: 'Booked a haircut' }],
 *   })
 *
 * Every call runs in the tenant's context; only plugins the tenant has
 * enabled are asked. Erase must anonymise personal data and keep amounts.
 */
export type TimelineEntry = {
  /* ISO 8601 */
  at: string
  /* "<plugin id>.<what>", e.g. "crm.note" */
  type: string
  title: string
  detail?: string | null
}

export type CrmContribution = {
  pluginId: string
  export?(clientId: number): Promise<unknown> | unknown
  erase?(clientId: number, trx: TransactionClientContract): Promise<void> | void
  timeline?(clientId: number): Promise<TimelineEntry[]> | TimelineEntry[]
}

const contributions = new Map<string, CrmContribution>()

export const crmExtensions = {
  register(contribution: CrmContribution) {
    if (!/^[a-z][a-z0-9-]*$/.test(contribution.pluginId)) {
      throw new Error(`crmExtensions.register: "${contribution.pluginId}" is not a plugin id`)
    }
    contributions.set(contribution.pluginId, contribution)
  },
  unregister(pluginId: string) {
    contributions.delete(pluginId)
  },
  /* the contributions of the plugins this tenant has enabled, by plugin id */
  async enabledFor(tenantId: number): Promise<CrmContribution[]> {
    const enabled: CrmContribution[] = []
    for (const contribution of [...contributions.values()].sort((a, b) =>
      a.pluginId.localeCompare(b.pluginId)
    )) {
      if (
        contribution.pluginId === 'crm' ||
        (await isPluginEnabled(tenantId, contribution.pluginId))
      )
        enabled.push(contribution)
    }
    return enabled
  },
}

export { searchClientIds } from './services/client_search.js'

/*
 * A client of the current tenant as other plugins may show it (an invoice's
 * addressee), or null when the tenant has no such client.
 */
export type ClientSummary = {
  id: number
  kind: string
  name: string
  companyName: string | null
  status: string
  email: string | null
  erased: boolean
}

export async function findClient(
  id: number,
  options: { client?: TransactionClientContract } = {}
): Promise<ClientSummary | null> {
  const { default: Client } = await import('./models/client.js')
  const row = await Client.query({ client: options.client })
    .where('id', id)
    .preload('emails', (q) => q.orderBy('position').limit(1))
    .first()
  if (!row) return null
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    companyName: row.companyName,
    status: row.status,
    email: row.emails[0]?.email ?? null,
    erased: row.erasedAt !== null,
  }
}

/*
 * The names of several clients at once (a list page's addressees), id -> name,
 * in one query; ids of other tenants or unknown ids are left out.
 */
export async function clientNamesByIds(ids: number[]): Promise<Map<number, string>> {
  const { default: Client } = await import('./models/client.js')
  const unique = [...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0)
  const names = new Map<number, string>()
  for (let offset = 0; offset < unique.length; offset += 500) {
    const rows = await Client.query()
      .whereIn('id', unique.slice(offset, offset + 500))
      .select('id', 'name')
    for (const row of rows) names.set(row.id, row.name)
  }
  return names
}

/*
 * For a plugin that takes in new clients (e.g. a salon booking): reads the
 * CRM settings now, outside any transaction (SQLite has one connection), and
 * returns a function that creates a client in the caller's transaction with
 * the same rules, audit entry and crm.client.created event as
 * POST /api/v1/crm/clients.
 */
export async function crmClientCreator() {
  const { createClient } = await import('./services/client_writer.js')
  const { crmSettings } = await import('./services/crm_plugin.js')
  const settings = await crmSettings()
  return (input: CreateClientInput, trx: TransactionClientContract) =>
    createClient(input, { trx, settings })
}
export type { CreateClientInput as CrmClientInput }
