import { randomUUID } from 'node:crypto'
import type { ApiClient, ApiResponse } from '@japa/api-client'
import User from '#models/user'

/*
 * Tenants for plugin tests, made through the public API as a real customer
 * would: sign up, switch plugins on (with their dependencies), add members
 * with a custom role, and call the plugin's routes with the envelope.
 */
export type TestTenant = {
  token: string
  /* the owner's user id */
  userId: number
  tenantId: number
  slug: string
  email: string
}

export const TEST_PASSWORD = 'plugin kit password 1'

/* text() is undefined for a binary answer (a PDF): say so rather than crash */
export const describeResponse = (response: ApiResponse) =>
  `${response.status()} ${response.text()?.slice(0, 300) ?? `(${response.header('content-type')})`}`

export async function signupTenant(client: ApiClient, label: string): Promise<TestTenant> {
  const id = randomUUID().slice(0, 8)
  const attributes = {
    tenantName: `Kit ${label} ${id}`,
    tenantSlug: `kit-${label}-${id}`.toLowerCase(),
    fullName: `Kit ${label} owner`,
    email: `kit-${label}-${id}@example.test`.toLowerCase(),
    password: TEST_PASSWORD,
  }
  const response = await client.post('/api/v1/signup').json({ data: { attributes } })
  if (response.status() !== 201)
    throw new Error(`kit: signup failed: ${describeResponse(response)}`)
  const body = response.body()
  return {
    token: body.meta.token.value,
    userId: Number(body.meta.owner.id),
    tenantId: Number(body.data.id),
    slug: attributes.tenantSlug,
    email: attributes.email,
  }
}

export async function switchPlugin(client: ApiClient, owner: TestTenant, id: string, on: boolean) {
  const response = await client
    .post(`/api/v1/plugins/${id}/${on ? 'enable' : 'disable'}`)
    .bearerToken(owner.token)
    .header('Idempotency-Key', randomUUID())
    .json(on ? { data: { attributes: { withDependencies: true } } } : {})
  if (response.status() !== 200)
    throw new Error(
      `kit: ${on ? 'enabling' : 'disabling'} "${id}" failed: ${describeResponse(response)}`
    )
}

export async function putPluginSettings(
  client: ApiClient,
  owner: TestTenant,
  id: string,
  settings: Record<string, unknown>
) {
  const response = await client
    .put(`/api/v1/plugins/${id}/settings`)
    .bearerToken(owner.token)
    .json({ data: { attributes: settings } })
  if (response.status() !== 200)
    throw new Error(`kit: settings of "${id}" refused: ${describeResponse(response)}`)
}

/* A new tenant with the plugin (and what it requires) on, and its settings if given. */
export async function tenantWithPlugin(
  client: ApiClient,
  id: string,
  settings?: Record<string, unknown>
): Promise<TestTenant> {
  const owner = await signupTenant(client, id)
  await switchPlugin(client, owner, id, true)
  if (settings) await putPluginSettings(client, owner, id, settings)
  return owner
}

/* A member of the owner's tenant whose role holds exactly `permissions`; answers their token. */
export async function memberWith(client: ApiClient, owner: TestTenant, permissions: string[]) {
  const key = `kit_${randomUUID().slice(0, 8)}`
  const role = await client
    .post('/api/v1/roles')
    .bearerToken(owner.token)
    .header('Idempotency-Key', randomUUID())
    .json({ data: { attributes: { key, name: `Kit ${key}`, permissions } } })
  if (role.status() !== 201) throw new Error(`kit: role creation failed: ${describeResponse(role)}`)
  const person = await signupTenant(client, 'member')
  const added = await client
    .post('/api/v1/members')
    .bearerToken(owner.token)
    .header('Idempotency-Key', randomUUID())
    .json({ email: person.email, role: key })
  if (added.status() !== 201)
    throw new Error(`kit: adding a member failed: ${describeResponse(added)}`)
  const login = await client
    .post('/api/v1/auth/tokens')
    .json({ email: person.email, password: TEST_PASSWORD, tenant: owner.slug })
  if (login.status() !== 201)
    throw new Error(`kit: member login failed: ${describeResponse(login)}`)
  return login.body().data.attributes.value as string
}

/*
 * The plugin's API as `tenant` (or any bearer token): paths are relative to
 * /api/v1/<id>; writes send `data.attributes` and a fresh Idempotency-Key.
 */
export function pluginApi(client: ApiClient, id: string, tenant: { token: string }) {
  const url = (path: string) => `/api/v1/${id}${path}`
  const write = (method: string, path: string, attributes: Record<string, unknown>) =>
    client
      .request(url(path), method)
      .bearerToken(tenant.token)
      .header('Idempotency-Key', randomUUID())
      .json({ data: { attributes } })
  return {
    get: (path: string) => client.get(url(path)).bearerToken(tenant.token),
    delete: (path: string) => client.delete(url(path)).bearerToken(tenant.token),
    post: (path: string, attributes: Record<string, unknown> = {}) =>
      write('POST', path, attributes),
    patch: (path: string, attributes: Record<string, unknown>) => write('PATCH', path, attributes),
    put: (path: string, attributes: Record<string, unknown>) => write('PUT', path, attributes),
  }
}

/* A staff member to sign in to the pages with `client.get(url).loginAs(user)`: by id or e-mail. */
export function staffUser(idOrEmail: number | string) {
  return typeof idOrEmail === 'number'
    ? User.findOrFail(idOrEmail)
    : User.findByOrFail('email', idOrEmail)
}
