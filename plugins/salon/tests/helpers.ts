import { randomUUID } from 'node:crypto'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'

/* Test helpers of the salon plugin: a tenant with CRM + salon on, and API calls. */
export type SalonTenant = { token: string; tenantId: number; ownerId: number }

export async function salonTenant(
  client: ApiClient,
  settings?: Record<string, unknown>
): Promise<SalonTenant> {
  const id = randomUUID().slice(0, 8)
  const signup = await client.post('/api/v1/signup').json({
    data: {
      attributes: {
        tenantName: `Salon ${id}`,
        tenantSlug: `salon-${id}`,
        fullName: `Salon owner ${id}`,
        email: `salon-${id}@example.test`,
        password: 'salon tests password 1',
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
    .post('/api/v1/plugins/salon/enable')
    .bearerToken(tenant.token)
    .header('Idempotency-Key', randomUUID())
    .json({ data: { attributes: { withDependencies: true } } })
  if (enable.status() !== 200) throw new Error(`enable salon: ${enable.status()} ${enable.text()}`)
  if (settings) await putSettings(client, tenant, settings)
  return tenant
}

export async function putSettings(
  client: ApiClient,
  tenant: SalonTenant,
  settings: Record<string, unknown>
) {
  const response = await client
    .put('/api/v1/plugins/salon/settings')
    .bearerToken(tenant.token)
    .json({ data: { attributes: settings } })
  if (response.status() !== 200)
    throw new Error(`salon settings: ${response.status()} ${response.text()}`)
}

export function post(
  client: ApiClient,
  tenant: SalonTenant,
  url: string,
  attributes: Record<string, unknown> = {}
) {
  return client
    .post(`/api/v1/salon${url}`)
    .bearerToken(tenant.token)
    .header('Idempotency-Key', randomUUID())
    .json({ data: { attributes } })
}

export function put(
  client: ApiClient,
  tenant: SalonTenant,
  url: string,
  attributes: Record<string, unknown>
) {
  return client.put(`/api/v1/salon${url}`).bearerToken(tenant.token).json({ data: { attributes } })
}

export function get(client: ApiClient, tenant: SalonTenant, url: string) {
  return client.get(`/api/v1/salon${url}`).bearerToken(tenant.token)
}

export async function created(response: any, what: string) {
  if (response.status() !== 201) throw new Error(`${what}: ${response.status()} ${response.text()}`)
  return response.body().data as { id: string; attributes: Record<string, any> }
}

/* Monday to Sunday, 09:00-17:00 with a lunch break, at one location */
export const EVERY_DAY_9_TO_5 = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
  weekday,
  starts: '09:00',
  ends: '17:00',
  breaks: [{ starts: '12:00', ends: '13:00' }],
}))

/*
 * A salon ready to book: a location in `zone`, a 45-minute cut (10 min buffer
 * after) priced in EUR with a deposit, performed by the owner who works
 * every day 09:00-17:00 (lunch 12-13).
 */
export async function readySalon(
  client: ApiClient,
  options: {
    zone?: string
    settings?: Record<string, unknown>
    service?: Record<string, unknown>
  } = {}
) {
  const tenant = await salonTenant(client, {
    minimumNoticeMinutes: 0,
    bookingHorizonDays: 400,
    ...options.settings,
  })
  const location = await created(
    await post(client, tenant, '/locations', {
      name: 'High Street',
      timeZone: options.zone ?? 'Europe/London',
    }),
    'location'
  )
  const service = await created(
    await post(client, tenant, '/services', {
      name: 'Cut',
      durationMinutes: 45,
      bufferAfterMinutes: 10,
      prices: { EUR: '4000' },
      deposits: { EUR: '1000' },
      staffIds: [tenant.ownerId],
      ...options.service,
    }),
    'service'
  )
  const hours = await put(client, tenant, `/staff/${tenant.ownerId}/hours`, {
    hours: EVERY_DAY_9_TO_5,
  })
  if (hours.status() !== 200) throw new Error(`hours: ${hours.status()} ${hours.text()}`)
  return { tenant, locationId: Number(location.id), serviceId: Number(service.id) }
}

/* a local wall-clock time `days` from today in the zone, as ISO with its offset */
export function localAt(zone: string, days: number, time: string) {
  const [hour, minute] = time.split(':').map(Number)
  return DateTime.now()
    .setZone(zone)
    .plus({ days })
    .set({ hour, minute, second: 0, millisecond: 0 })
    .toISO({ suppressMilliseconds: true })!
}

/* adds a team member (worker role) through the API; returns the user id */
export async function addStaff(client: ApiClient, tenant: SalonTenant, name: string) {
  const id = randomUUID().slice(0, 8)
  const response = await client
    .post('/api/v1/members')
    .bearerToken(tenant.token)
    .header('Idempotency-Key', randomUUID())
    .json({
      data: {
        attributes: {
          email: `${name.toLowerCase().replace(/\W+/g, '-')}-${id}@example.test`,
          fullName: name,
          role: 'worker',
        },
      },
    })
  if (response.status() !== 201) throw new Error(`member: ${response.status()} ${response.text()}`)
  return Number(response.body().data.attributes.userId ?? response.body().data.id)
}
