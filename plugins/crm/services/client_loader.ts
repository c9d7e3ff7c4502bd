import Client from '../models/client.js'
import ClientEmail from '../models/client_email.js'
import ClientPhone from '../models/client_phone.js'
import ClientAddress from '../models/client_address.js'
import Contact from '../models/contact.js'
import ClientTag from '../models/client_tag.js'

/* The lists a client shows through the API, in the order they are shown. */
const LISTS = {
  emails: () => ClientEmail.query().orderBy('position'),
  phones: () => ClientPhone.query().orderBy('position'),
  addresses: () => ClientAddress.query().orderBy('position'),
  contacts: () => Contact.query().orderBy('position'),
  tags: () => ClientTag.query().orderBy('tag'),
}

export type ClientList = keyof typeof LISTS
export const ALL_LISTS = Object.keys(LISTS) as ClientList[]

type ListRow = { clientId: number }

/*
 * Clients of the current tenant by id with the given lists attached, as
 * preload() would attach them (clientResource shows them the same way). The
 * ids are known up front, so the clients and their lists are read at once
 * instead of the clients first and then the lists: one round trip to the
 * database instead of two (PostgreSQL serves them on parallel connections).
 * Every query is tenant-scoped, the lists included. In no particular order.
 */
export async function clientsWithLists(ids: number[], lists: ClientList[]) {
  if (!ids.length) return []
  const [clients, ...rowsByList] = await Promise.all([
    Client.query().whereIn('id', ids),
    ...lists.map((name) => LISTS[name]().whereIn('client_id', ids)),
  ])
  attach(clients as Client[], lists, rowsByList as ListRow[][])
  return clients as Client[]
}

/* One client of the current tenant with every list (404 for anyone else's), in one round trip. */
export async function clientWithAllLists(id: number) {
  const [client, ...rowsByList] = await Promise.all([
    Client.query().where('id', id).firstOrFail(),
    ...ALL_LISTS.map((name) => LISTS[name]().where('client_id', id)),
  ])
  attach([client as Client], ALL_LISTS, rowsByList as ListRow[][])
  return client as Client
}

function attach(clients: Client[], lists: ClientList[], rowsByList: ListRow[][]) {
  lists.forEach((name, index) => {
    const byClient = new Map<number, ListRow[]>()
    for (const row of rowsByList[index]) {
      const rows = byClient.get(row.clientId)
      if (rows) rows.push(row)
      else byClient.set(row.clientId, [row])
    }
    for (const client of clients) client.$setRelated(name, (byClient.get(client.id) ?? []) as any)
  })
}
