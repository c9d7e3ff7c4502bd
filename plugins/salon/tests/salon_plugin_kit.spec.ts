import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { pluginTestKit, type TestTenant } from '#plinth/testing'
import { localAt } from './helpers.js'

/* the kit's tenant A: its "Kit cut" service, performed by the owner, who works every day */
async function bookable(client: ApiClient, tenant: TestTenant) {
  const api = (method: 'get' | 'patch' | 'put' | 'post', url: string, attributes?: object) => {
    const request = client[method](`/api/v1/${url}`).bearerToken(tenant.token)
    if (method === 'post') request.header('Idempotency-Key', randomUUID())
    return attributes ? request.json({ data: { attributes } }) : request
  }
  const services = await api('get', 'salon/services?search=Kit cut')
  const serviceId = Number(services.body().data[0].id)
  await api('patch', `salon/services/${serviceId}`, { staffIds: [tenant.userId] })
  const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
    weekday,
    starts: '09:00',
    ends: '18:00',
  }))
  const put = await api('put', `salon/staff/${tenant.userId}/hours`, { hours })
  if (put.status() !== 200) throw new Error(`hours: ${put.text()}`)
  return serviceId
}

/*
 * The kernel's checks for the salon: a token and the declared permission on
 * every route, tenant isolation through every route, disable (routes, pages,
 * nav, jobs) and the migration round trip.
 */
pluginTestKit(test, {
  plugin: 'salon',
  routes: {
    'POST /locations': { name: 'Kit salon', timeZone: 'Europe/Paris' },
    'PATCH /locations/:id': { name: 'Kit salon renamed' },
    'POST /resources': { name: 'Kit chair', capacity: 2 },
    'PATCH /resources/:id': { capacity: 3 },
    'POST /services': { name: 'Kit cut', durationMinutes: 30, prices: { EUR: '2500' } },
    'PATCH /services/:id': { bufferAfterMinutes: 5 },
    'POST /overrides': { date: '2031-01-01', intervals: [] },
    'POST /time-off': { startsAt: '2031-02-01T09:00:00Z', endsAt: '2031-02-01T12:00:00Z' },
    'POST /appointments': async ({ tenant, client }) => ({
      client: { name: 'Kit client' },
      serviceId: await bookable(client, tenant),
      startsAt: localAt('Europe/Paris', 3, '10:00'),
    }),
    'POST /appointments/:id/reschedule': { startsAt: localAt('Europe/Paris', 3, '11:00') },
    'POST /appointments/:id/cancel': { reason: 'Kit' },
    'POST /waitlist': async ({ tenant, client }) => {
      const crm = await client
        .post('/api/v1/crm/clients')
        .bearerToken(tenant.token)
        .header('Idempotency-Key', randomUUID())
        .json({ data: { attributes: { kind: 'person', name: 'Kit waiter' } } })
      return {
        clientId: Number(crm.body().data.id),
        serviceId: await bookable(client, tenant),
        from: localAt('Europe/Paris', 3, '09:00'),
        to: localAt('Europe/Paris', 3, '18:00'),
      }
    },
    'POST /calendar-feeds': {},
  },
  jobs: { 'salon.send-reminders': {} },
})
