import { randomUUID } from 'node:crypto'
import type { ApiClient } from '@japa/api-client'

/* Test helpers of the CRM plugin: a tenant with the plugin on, and API calls. */
export type CrmTenant = { token: string; tenantId: number; ownerId: number }

export async function crmTenant(
  client: ApiClient,
  settings?: Record<string, unknown>
): Promise<CrmTenant> {
  const id = randomUUID().slice(0, 8)
  const signup = await client.post('/api/v1/signup').json({
    data: {
      attributes: {
        tenantName: `CRM ${id}`,
        tenantSlug: `crm-${id}`,
        fullName: `CRM owner ${id}`,
        email: `crm-${id}@example.test`,
        password: 'crm tests password 1',
      },
    },
  })
  if (signup.status() !== 201) throw new Error(`signup: ${signup.status()} ${signup.text()}`)
  const body = signup.body()
  const tenant = {
    token: body.meta.token.value,
    tenantId: Number(body.data.id),
    ownerId: Number(body.meta.owner.id),
  }
  const enable = await client
    .post('/api/v1/plugins/crm/enable')
    .bearerToken(tenant.token)
    .header('Idempotency-Key', randomUUID())
    .json({})
  if (enable.status() !== 200) throw new Error(`enable crm: ${enable.status()} ${enable.text()}`)
  if (settings) {
    const put = await client
      .put('/api/v1/plugins/crm/settings')
      .bearerToken(tenant.token)
      .json({ data: { attributes: settings } })
    if (put.status() !== 200) throw new Error(`crm settings: ${put.status()} ${put.text()}`)
  }
  return tenant
}

export function post(
  client: ApiClient,
  tenant: CrmTenant,
  url: string,
  attributes: Record<string, unknown>
) {
  return client
    .post(`/api/v1/crm${url}`)
    .bearerToken(tenant.token)
    .header('Idempotency-Key', randomUUID())
    .json({ data: { attributes } })
}

export function patch(
  client: ApiClient,
  tenant: CrmTenant,
  url: string,
  attributes: Record<string, unknown>
) {
  return client.patch(`/api/v1/crm${url}`).bearerToken(tenant.token).json({ data: { attributes } })
}

export function get(client: ApiClient, tenant: CrmTenant, url: string) {
  return client.get(`/api/v1/crm${url}`).bearerToken(tenant.token)
}

export async function createClient(
  client: ApiClient,
  tenant: CrmTenant,
  attributes: Record<string, unknown>
) {
  const response = await post(client, tenant, '/clients', attributes)
  if (response.status() !== 201)
    throw new Error(`create client: ${response.status()} ${response.text()}`)
  return response.body().data as { id: string; attributes: Record<string, any> }
}
