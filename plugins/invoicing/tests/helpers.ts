import { randomUUID } from 'node:crypto'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'

/* Test helpers of the invoicing plugin: a tenant with CRM + invoicing on, a client, API calls. */
export type InvTenant = { token: string; tenantId: number; ownerId: number; clientId: number }

export async function invTenant(
  client: ApiClient,
  settings?: Record<string, unknown>
): Promise<InvTenant> {
  const id = randomUUID().slice(0, 8)
  const signup = await client.post('/api/v1/signup').json({
    data: {
      attributes: {
        tenantName: `Invoicing ${id}`,
        tenantSlug: `inv-${id}`,
        fullName: `Invoicing owner ${id}`,
        email: `inv-${id}@example.test`,
        password: 'invoicing tests password 1',
      },
    },
  })
  if (signup.status() !== 201) throw new Error(`signup: ${signup.status()} ${signup.text()}`)
  const body = signup.body()
  const token = body.meta.token.value
  const enable = await client
    .post('/api/v1/plugins/invoicing/enable')
    .bearerToken(token)
    .header('Idempotency-Key', randomUUID())
    .json({ data: { attributes: { withDependencies: true } } })
  if (enable.status() !== 200) throw new Error(`enable: ${enable.status()} ${enable.text()}`)
  if (settings) {
    const put = await client
      .put('/api/v1/plugins/invoicing/settings')
      .bearerToken(token)
      .json({ data: { attributes: settings } })
    if (put.status() !== 200) throw new Error(`settings: ${put.status()} ${put.text()}`)
  }
  const tenant = { token, tenantId: Number(body.data.id), ownerId: Number(body.meta.owner.id) }
  const clientId = await createCrmClient(client, tenant, `Acme ${id}`)
  return { ...tenant, clientId }
}

export async function createCrmClient(
  client: ApiClient,
  tenant: { token: string },
  name: string
): Promise<number> {
  const response = await client
    .post('/api/v1/crm/clients')
    .bearerToken(tenant.token)
    .header('Idempotency-Key', randomUUID())
    .json({
      data: {
        attributes: { kind: 'company', name, emails: [{ email: 'billing@acme.example' }] },
      },
    })
  if (response.status() !== 201)
    throw new Error(`create client: ${response.status()} ${response.text()}`)
  return Number(response.body().data.id)
}

export function post(
  client: ApiClient,
  tenant: { token: string },
  url: string,
  attributes: Record<string, unknown>,
  idempotencyKey: string = randomUUID()
) {
  return client
    .post(`/api/v1/invoicing${url}`)
    .bearerToken(tenant.token)
    .header('Idempotency-Key', idempotencyKey)
    .json({ data: { attributes } })
}

export function patch(
  client: ApiClient,
  tenant: { token: string },
  url: string,
  attributes: Record<string, unknown>
) {
  return client
    .patch(`/api/v1/invoicing${url}`)
    .bearerToken(tenant.token)
    .json({ data: { attributes } })
}

export function get(client: ApiClient, tenant: { token: string }, url: string) {
  return client.get(`/api/v1/invoicing${url}`).bearerToken(tenant.token)
}

export async function created(response: any, what: string) {
  if (response.status() !== 201) throw new Error(`${what}: ${response.status()} ${response.text()}`)
  return response.body().data as { id: string; attributes: Record<string, any> }
}

/* a draft invoice for the tenant's client */
export async function draftInvoice(
  client: ApiClient,
  tenant: InvTenant,
  lines: Record<string, unknown>[] = [
    { description: 'Consulting', quantity: 2, unitPrice: '5000' },
  ],
  extra: Record<string, unknown> = {}
) {
  return created(
    await post(client, tenant, '/invoices', {
      clientId: tenant.clientId,
      currency: 'EUR',
      lines,
      ...extra,
    }),
    'draft invoice'
  )
}

/* an issued (sent) invoice */
export async function issuedInvoice(
  client: ApiClient,
  tenant: InvTenant,
  lines?: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
  send: Record<string, unknown> = {}
) {
  const draft = await draftInvoice(client, tenant, lines, extra)
  const sent = await post(client, tenant, `/invoices/${draft.id}/send`, send)
  if (sent.status() !== 200) throw new Error(`send: ${sent.status()} ${sent.text()}`)
  return sent.body().data as { id: string; attributes: Record<string, any> }
}

/* the tenant's ledger entries (with their lines, amounts as text) */
export async function ledgerEntries(tenantId: number) {
  const entries = await db
    .from('ledger_entries')
    .where('tenant_id', tenantId)
    .orderBy('id')
    .select('id', 'source_plugin', 'source_reference', 'idempotency_key', 'entry_date')
  const lines = await db.rawQuery(
    `SELECT l.entry_id, a.code, l.currency, CAST(l.amount AS TEXT) AS amount
     FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
     WHERE l.tenant_id = ? ORDER BY l.id`,
    [tenantId]
  )
  const rows: any[] = Array.isArray(lines) ? lines : lines.rows
  return entries.map((entry) => ({
    id: Number(entry.id),
    sourcePlugin: entry.source_plugin,
    reference: entry.source_reference,
    key: entry.idempotency_key,
    date: entry.entry_date,
    lines: rows
      .filter((line) => Number(line.entry_id) === Number(entry.id))
      .map((line) => ({
        account: line.code,
        currency: line.currency,
        amount: String(line.amount),
      })),
  }))
}

export const daysFromToday = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

/* GET a binary answer (a PDF) from the running test server */
export async function fetchBytes(tenant: { token: string }, url: string) {
  const host = process.env.HOST ?? 'localhost'
  const response = await fetch(`http://${host}:${process.env.PORT}/api/v1/invoicing${url}`, {
    headers: { Authorization: `Bearer ${tenant.token}` },
  })
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: new Uint8Array(await response.arrayBuffer()),
  }
}

/* The text of a PDF, page by page, read with a real PDF parser (pdf.js) */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const fonts = new URL('../../../node_modules/pdfjs-dist/standard_fonts/', import.meta.url)
  const document = await pdfjs.getDocument({ data: bytes, standardFontDataUrl: fonts.pathname })
    .promise
  const pages: string[] = []
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number)
    const content = await page.getTextContent()
    pages.push(content.items.map((item: any) => item.str ?? '').join(' '))
  }
  await document.destroy()
  return pages.join('\n').replace(/\s+/g, ' ')
}
