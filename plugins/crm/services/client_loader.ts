import { errors } from '@adonisjs/lucid'
import db from '@adonisjs/lucid/services/db'
import { tenantContext } from '#plinth'
import Client from '../models/client.js'

/*
 * The lists a client shows through the API: table, the fields shown (column:
 * property, as on the list's model) and their order.
 */
const LISTS = {
  emails: {
    table: 'crm_client_emails',
    fields: { email: 'email', label: 'label' },
    order: 'position',
  },
  phones: {
    table: 'crm_client_phones',
    fields: { number: 'number', label: 'label' },
    order: 'position',
  },
  addresses: {
    table: 'crm_client_addresses',
    fields: {
      label: 'label',
      line1: 'line1',
      line2: 'line2',
      city: 'city',
      region: 'region',
      postal_code: 'postalCode',
      country: 'country',
    },
    order: 'position',
  },
  contacts: {
    table: 'crm_contacts',
    fields: { name: 'name', role: 'role', email: 'email', phone: 'phone' },
    order: 'position',
  },
  tags: { table: 'crm_client_tags', fields: { tag: 'tag' }, order: 'tag' },
}

export type ClientList = keyof typeof LISTS
export const ALL_LISTS = Object.keys(LISTS) as ClientList[]

/* the client's own columns (not search_text and search_vector: nobody shows them) */
const CLIENT_COLUMNS = [
  'id',
  'tenant_id',
  'kind',
  'name',
  'company_name',
  'status',
  'owner_user_id',
  'custom_fields',
  'erased_at',
  'created_at',
  'updated_at',
]

/* A list of one client as a JSON array, in the list's order: a correlated subquery per list. */
function listAsJson(name: ClientList, postgres: boolean) {
  const { table, fields, order } = LISTS[name]
  const pairs = Object.entries(fields)
    .map(([column, property]) => `'${property}', l.${column}`)
    .join(', ')
  const own = `l.tenant_id = c.tenant_id AND l.client_id = c.id`
  return postgres
    ? `(SELECT coalesce(json_agg(json_build_object(${pairs}) ORDER BY l.${order}), '[]') FROM ${table} l WHERE ${own}) AS ${name}`
    : `(SELECT json_group_array(json_object(${pairs})) FROM (SELECT * FROM ${table} l WHERE ${own} ORDER BY l.${order}) l) AS ${name}`
}

/*
 * Clients of the current tenant by id with the given lists attached, as
 * preload() would attach them (clientResource shows them the same way), read
 * in one statement: each list is a JSON array from a correlated subquery, so a
 * page of clients costs one round trip and one model per client rather than
 * one per list row. Every list is tenant-scoped like the clients. In no
 * particular order.
 */
export async function clientsWithLists(ids: number[], lists: ClientList[]) {
  if (!ids.length) return []
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new Error('Loading clients needs a tenant in context')
  const postgres = db.connection().dialect.name === 'postgres'
  const columns = [
    ...CLIENT_COLUMNS.map((column) => `c.${column}`),
    ...lists.map((name) => listAsJson(name, postgres)),
  ]
  const result = await db.rawQuery(
    // "+" keeps the tenant a filter: SQLite would rather read all the tenant's rows by its index
    `SELECT ${columns.join(', ')} FROM crm_clients c
     WHERE c.id IN (${ids.map(() => '?').join(', ')}) AND +c.tenant_id = ?`,
    [...ids, tenantId]
  )
  const rows: Record<string, unknown>[] = postgres ? result.rows : result
  return rows.map((row) => {
    const client = Client.$createFromAdapterResult(row)!
    for (const name of lists) {
      const items = row[name]
      // the shown fields only, under the model's property names: what clientResource reads
      client.$setRelated(name, (typeof items === 'string' ? JSON.parse(items) : items) as any)
    }
    return client
  })
}

/* One client of the current tenant with every list (404 for anyone else's), in one statement. */
export async function clientWithAllLists(id: number | string) {
  const key = Number(id)
  const [client] = Number.isSafeInteger(key) ? await clientsWithLists([key], ALL_LISTS) : []
  if (!client) throw new errors.E_ROW_NOT_FOUND()
  return client
}
