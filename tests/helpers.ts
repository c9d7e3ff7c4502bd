import { randomUUID } from 'node:crypto'
import type { ApiClient } from '@japa/api-client'

/* A unique suffix per call, so tests never collide on slugs or emails. */
export const unique = () => randomUUID().slice(0, 8)

export const PASSWORD = 'correct horse battery staple'

export type SignedUp = {
  token: string
  tenantId: string
  slug: string
  email: string
  ownerId: string
}

/* Signs up a fresh tenant through the public API and returns its owner's token. */
export async function signup(
  client: ApiClient,
  overrides: Record<string, string> = {}
): Promise<SignedUp> {
  const id = unique()
  const attributes = {
    tenantName: `Tenant ${id}`,
    tenantSlug: `t-${id}`,
    fullName: `Owner ${id}`,
    email: `owner-${id}@example.test`,
    password: PASSWORD,
    ...overrides,
  }
  const response = await client.post('/api/v1/signup').json({ data: { attributes } })
  if (response.status() !== 201)
    throw new Error(`signup failed: ${response.status()} ${response.text()}`)
  const body = response.body()
  return {
    token: body.meta.token.value,
    tenantId: body.data.id,
    slug: attributes.tenantSlug,
    email: attributes.email,
    ownerId: body.meta.owner.id,
  }
}

/* Exchanges credentials for a token in a given tenant. */
export async function login(client: ApiClient, email: string, tenant: string, password = PASSWORD) {
  const response = await client.post('/api/v1/auth/tokens').json({ email, password, tenant })
  if (response.status() !== 201)
    throw new Error(`login failed: ${response.status()} ${response.text()}`)
  return response.body().data.attributes.value as string
}

/* Another tenant owned by the token's user (POST /api/v1/tenants). */
export async function addTenant(client: ApiClient, token: string) {
  const id = unique()
  const attributes = { name: `Second ${id}`, slug: `s-${id}` }
  const response = await client
    .post('/api/v1/tenants')
    .bearerToken(token)
    .json({ data: { attributes } })
  if (response.status() !== 201)
    throw new Error(`tenant creation failed: ${response.status()} ${response.text()}`)
  return { id: Number(response.body().data.id), ...attributes }
}
