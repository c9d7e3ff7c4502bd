import type { ApiClient } from '@japa/api-client'
import { pluginApi, tenantWithPlugin } from '#plinth/testing'

/* Test helpers of the CRM plugin: a tenant with the plugin on, and API calls. */
export type CrmTenant = { token: string; tenantId: number; ownerId: number }

export async function crmTenant(
  client: ApiClient,
  settings?: Record<string, unknown>
): Promise<CrmTenant> {
  const owner = await tenantWithPlugin(client, 'crm', settings)
  return { token: owner.token, tenantId: owner.tenantId, ownerId: owner.userId }
}

export function post(
  client: ApiClient,
  tenant: CrmTenant,
  url: string,
  attributes: Record<string, unknown>
) {
  return pluginApi(client, 'crm', tenant).post(url, attributes)
}

export function patch(
  client: ApiClient,
  tenant: CrmTenant,
  url: string,
  attributes: Record<string, unknown>
) {
  return pluginApi(client, 'crm', tenant).patch(url, attributes)
}

export function get(client: ApiClient, tenant: CrmTenant, url: string) {
  return pluginApi(client, 'crm', tenant).get(url)
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
