import type { PluginPageContext } from '#plinth'
import Client from '../models/client.js'
import { searchClientIds } from './client_search.js'
import { clientAttributes } from './client_resource.js'
import { loadClient } from './client_writer.js'
import { clientTimeline } from './client_privacy.js'

const PAGE_SIZE = 50

const row = (client: Client) => ({
  id: client.id,
  name: client.name,
  companyName: client.companyName,
  kind: client.kind,
  status: client.status,
  email: client.emails[0]?.email ?? null,
  phone: client.phones[0]?.number ?? null,
})

/* The client list page: newest clients, or ranked matches of ?search= (the page reloads them as you type). */
export async function clientListProps(ctx: PluginPageContext) {
  const raw = ctx.query.search
  const search = typeof raw === 'string' ? raw.slice(0, 200).replaceAll('\u0000', '') : ''
  const base = () =>
    Client.query()
      .preload('emails', (q) => q.orderBy('position'))
      .preload('phones', (q) => q.orderBy('position'))
  if (!search.trim()) {
    const clients = await base().orderBy('id', 'desc').limit(PAGE_SIZE)
    return {
      search: '',
      clients: clients.map(row),
      canWrite: ctx.permissions.has('crm.clients.write'),
    }
  }
  const matches: number[] = await searchClientIds(search)
  const ids = matches.slice(0, PAGE_SIZE)
  const found = ids.length ? await base().whereIn('id', ids) : []
  const byId = new Map(found.map((client) => [client.id, client]))
  return {
    search,
    clients: ids.flatMap((id) => (byId.has(id) ? [row(byId.get(id)!)] : [])),
    canWrite: ctx.permissions.has('crm.clients.write'),
  }
}

/* The client page: the client with its lists and the timeline from every enabled plugin. */
export async function clientDetailProps(ctx: PluginPageContext) {
  const id = Number(ctx.params.id)
  const client = await loadClient(Number.isSafeInteger(id) ? id : 0)
  return {
    client: { id: client.id, ...clientAttributes(client) },
    timeline: await clientTimeline(client.id),
  }
}
