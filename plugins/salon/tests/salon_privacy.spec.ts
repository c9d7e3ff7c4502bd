import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { localAt, post, readySalon } from './helpers.js'

test.group('Salon in the CRM privacy export and erase', () => {
  test("a client's appointments are in the CRM export; erase removes notes and keeps amounts", async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const booked = await post(client, tenant, '/appointments', {
      client: { name: 'Private Person', email: 'private@example.test' },
      serviceId,
      startsAt: localAt('Europe/London', 3, '10:00'),
      notes: 'Allergic to peroxide',
    })
    booked.assertStatus(201)
    const clientId = booked.body().data.attributes.clientId

    const exported = await client
      .get(`/api/v1/crm/clients/${clientId}/export`)
      .bearerToken(tenant.token)
    exported.assertStatus(200)
    assert.include(exported.text(), 'Allergic to peroxide')
    assert.include(exported.text(), '"salon"')

    const erased = await client
      .post(`/api/v1/crm/clients/${clientId}/erase`)
      .bearerToken(tenant.token)
      .header('Idempotency-Key', randomUUID())
      .json({})
    erased.assertStatus(200)
    const [row] = await db.from('salon_appointments').where('id', booked.body().data.id)
    assert.isNull(row.notes)
    assert.equal(String(row.price_minor), '4000')
    assert.equal(row.status, 'booked')
  })
})
