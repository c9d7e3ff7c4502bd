import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import Tenant from '#models/tenant'
import env from '#start/env'
import { get, localAt, readySalon, type SalonTenant } from './helpers.js'

const ZONE = 'Europe/London'

async function slugOf(tenant: SalonTenant) {
  return (await Tenant.findOrFail(tenant.tenantId)).slug
}

/* the page's JSON post, with the CSRF token as the browser sends it */
function bookOnline(client: ApiClient, slug: string, attributes: Record<string, unknown>) {
  return client
    .post(`/p/${slug}/salon/book`)
    .header('Accept', 'application/json')
    .withCsrfToken()
    .json({ data: { attributes } })
}

async function appointmentsOf(tenantId: number) {
  return db.from('salon_appointments').where('tenant_id', tenantId).orderBy('id')
}

const contact = (name: string) => ({
  name,
  email: `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 6)}@example.test`,
})

test.group('Salon online booking (public page)', () => {
  test('the page needs no login and shows the salon, its services and who performs them', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const slug = await slugOf(tenant)
    const html = await client.get(`/p/${slug}/salon/book`)
    html.assertStatus(200)
    assert.include(html.text(), 'plugins/salon/public/book')
    // shield put the CSRF token in the cookie the page's fetch sends back
    assert.include(String(html.header('set-cookie')), 'XSRF-TOKEN')

    const page = await client.get(`/p/${slug}/salon/book`).withInertia()
    page.assertInertiaComponent('plugins/salon/public/book')
    const props = page.inertiaProps
    assert.isNull(props.shell)
    assert.equal(props.salon.slug, slug)
    assert.deepEqual(
      props.services.map((s: any) => [s.id, s.name, s.durationMinutes, s.prices]),
      [[serviceId, 'Cut', 45, ['EUR 40.00']]]
    )
    assert.deepEqual(
      props.services[0].staff.map((s: any) => s.id),
      [tenant.ownerId]
    )
    assert.equal(props.urls.book, `/p/${slug}/salon/book`)
    assert.equal(props.locations[0].timeZone, ZONE)
  })

  test('slots of a day come from the availability service, in the location zone', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const slug = await slugOf(tenant)
    const date = localAt(ZONE, 2, '00:00').slice(0, 10)
    const response = await client
      .get(`/p/${slug}/salon/book/slots`)
      .qs({ serviceId, date })
      .header('Accept', 'application/json')
    response.assertStatus(200)
    const { slots, timeZone } = response.body().data
    assert.equal(timeZone, ZONE)
    const times = slots.map((slot: any) => slot.startsAt.slice(11, 16))
    // 09:00-17:00 with lunch 12-13, 45 minutes of service: last morning start 11:15
    assert.equal(times[0], '09:00')
    assert.include(times, '11:15')
    assert.notInclude(times, '11:30')
    assert.include(times, '13:00')
    assert.equal(times[times.length - 1], '16:15')
    assert.isTrue(slots.every((slot: any) => slot.staffId === tenant.ownerId))
    assert.isTrue(slots.every((slot: any) => slot.startsAt.startsWith(date)))

    const bad = await client
      .get(`/p/${slug}/salon/book/slots`)
      .qs({ serviceId: 'x' })
      .header('Accept', 'application/json')
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].code, 'VALIDATION_ERROR')
  })

  test('books through the booking service, creates the CRM client, links a returning one; a taken slot is 409', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const slug = await slugOf(tenant)
    const startsAt = localAt(ZONE, 3, '10:00')
    const ada = contact('Ada Lovelace')

    const first = await bookOnline(client, slug, {
      serviceId,
      startsAt,
      ...ada,
      phone: '+44 20 7946 0000',
      notes: 'Short please',
    })
    first.assertStatus(201)
    const booking = first.body().data
    assert.equal(booking.type, 'salon-online-booking')
    assert.equal(booking.attributes.service, 'Cut')
    assert.equal(booking.attributes.startsAt.slice(11, 16), '10:00')
    assert.equal(booking.attributes.timeZone, ZONE)
    assert.equal(booking.attributes.deposit, '1000')
    // the public answer names no client id
    assert.notProperty(booking.attributes, 'clientId')

    const shown = await get(client, tenant, `/appointments/${booking.id}`)
    shown.assertStatus(200)
    const clientId = shown.body().data.attributes.clientId
    assert.equal(shown.body().data.attributes.notes, 'Booked online: Short please')
    const crm = await client.get(`/api/v1/crm/clients/${clientId}`).bearerToken(tenant.token)
    crm.assertStatus(200)
    assert.equal(crm.body().data.attributes.name, 'Ada Lovelace')
    assert.equal(crm.body().data.attributes.emails[0].email, ada.email)

    // the same e-mail again: the same CRM client, no duplicate
    const again = await bookOnline(client, slug, {
      serviceId,
      startsAt: localAt(ZONE, 4, '10:00'),
      name: 'Ada L.',
      email: ada.email.toUpperCase(),
    })
    again.assertStatus(201)
    const second = await get(client, tenant, `/appointments/${again.body().data.id}`)
    assert.equal(second.body().data.attributes.clientId, clientId)

    // somebody else asks for the taken time: the API's 409, nothing written
    const before = (await appointmentsOf(tenant.tenantId)).length
    const taken = await bookOnline(client, slug, { serviceId, startsAt, ...contact('Bob') })
    taken.assertStatus(409)
    assert.equal(taken.body().errors[0].code, 'SLOT_TAKEN')
    assert.lengthOf(await appointmentsOf(tenant.tenantId), before)
    const clients = await db.from('crm_clients').where('tenant_id', tenant.tenantId)
    assert.lengthOf(clients, 1)

    // the same rules as the API: outside hours is a 422 on startsAt
    const closed = await bookOnline(client, slug, {
      serviceId,
      startsAt: localAt(ZONE, 3, '20:00'),
      ...contact('Cy'),
    })
    closed.assertStatus(422)
    assert.equal(closed.body().errors[0].code, 'OUTSIDE_HOURS')
  })

  test('bad input is a 4xx and writes nothing: no contact, bad e-mail, unknown service', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const slug = await slugOf(tenant)
    const startsAt = localAt(ZONE, 3, '10:00')
    const noContact = await bookOnline(client, slug, { serviceId, startsAt, name: 'Nobody' })
    noContact.assertStatus(422)
    assert.equal(noContact.body().errors[0].source.pointer, '/data/attributes/email')
    const badEmail = await bookOnline(client, slug, {
      serviceId,
      startsAt,
      name: 'X',
      email: 'not-an-email',
    })
    badEmail.assertStatus(422)
    const unknown = await bookOnline(client, slug, {
      serviceId: serviceId + 100_000,
      startsAt,
      ...contact('Y'),
    })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].code, 'UNKNOWN_SERVICE')
    assert.lengthOf(await appointmentsOf(tenant.tenantId), 0)
    assert.lengthOf(await db.from('crm_clients').where('tenant_id', tenant.tenantId), 0)
  })

  test('abuse: the honeypot and a missing CSRF token are refused, nothing written', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const slug = await slugOf(tenant)
    const startsAt = localAt(ZONE, 3, '10:00')
    const bot = await bookOnline(client, slug, {
      serviceId,
      startsAt,
      ...contact('Bot'),
      website: 'http://spam.example',
    })
    bot.assertStatus(400)
    assert.equal(bot.body().errors[0].code, 'BOOKING_REFUSED')

    const forged = await client
      .post(`/p/${slug}/salon/book`)
      .header('Accept', 'application/json')
      .json({ data: { attributes: { serviceId, startsAt, ...contact('Forged') } } })
      .redirects(0)
    assert.notEqual(forged.status(), 201)
    assert.include([302, 403], forged.status())

    assert.lengthOf(await appointmentsOf(tenant.tenantId), 0)
    assert.lengthOf(await db.from('crm_clients').where('tenant_id', tenant.tenantId), 0)
  })

  test('rate limits: per contact, then per IP, answer 429 with Retry-After', async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const slug = await slugOf(tenant)
    const ada = contact('Ada')
    for (const [index, time] of ['09:00', '10:00', '11:00'].entries()) {
      const ok = await bookOnline(client, slug, {
        serviceId,
        startsAt: localAt(ZONE, 5 + index, time),
        ...ada,
      })
      ok.assertStatus(201)
    }
    const fourth = await bookOnline(client, slug, {
      serviceId,
      startsAt: localAt(ZONE, 9, '09:00'),
      name: 'Ada',
      email: ada.email,
    })
    fourth.assertStatus(429)
    assert.equal(fourth.body().errors[0].code, 'RATE_LIMITED')
    assert.isAbove(Number(fourth.header('retry-after')), 0)
    assert.lengthOf(await appointmentsOf(tenant.tenantId), 3)

    // other contacts from the same IP: 10 attempts per 10 minutes in all
    let status = 0
    let attempts = 4
    while (attempts < 12) {
      attempts++
      const response = await bookOnline(client, slug, {
        serviceId,
        startsAt: localAt(ZONE, 20 + attempts, '14:00'),
        ...contact(`Guest ${attempts}`),
      })
      status = response.status()
      if (status === 429) break
      response.assertStatus(201)
    }
    assert.equal(status, 429)
    assert.equal(attempts, 11)
    assert.lengthOf(await appointmentsOf(tenant.tenantId), 9)
  })

  test('a tenant without the salon, or an unknown slug, is the same 404; tenants are isolated', async ({
    client,
    assert,
  }) => {
    const a = await readySalon(client)
    const b = await readySalon(client, { service: { name: 'Colour' } })
    const slugA = await slugOf(a.tenant)
    const slugB = await slugOf(b.tenant)

    // B's page shows B's services; A's service through B's page is unknown
    const pageB = await client.get(`/p/${slugB}/salon/book`).withInertia()
    assert.deepEqual(
      pageB.inertiaProps.services.map((s: any) => s.name),
      ['Colour']
    )
    const cross = await bookOnline(client, slugB, {
      serviceId: a.serviceId,
      startsAt: localAt(ZONE, 3, '10:00'),
      ...contact('Eve'),
    })
    cross.assertStatus(422)
    assert.equal(cross.body().errors[0].code, 'UNKNOWN_SERVICE')
    const crossSlots = await client
      .get(`/p/${slugB}/salon/book/slots`)
      .qs({ serviceId: a.serviceId })
      .header('Accept', 'application/json')
    crossSlots.assertStatus(422)
    assert.lengthOf(await appointmentsOf(a.tenant.tenantId), 0)

    const disable = await client
      .post('/api/v1/plugins/salon/disable')
      .bearerToken(a.tenant.token)
      .header('Idempotency-Key', randomUUID())
    disable.assertStatus(200)
    const gone = await client.get(`/p/${slugA}/salon/book`)
    gone.assertStatus(404)
    const goneJson = await bookOnline(client, slugA, {
      serviceId: a.serviceId,
      startsAt: localAt(ZONE, 3, '10:00'),
      ...contact('Late'),
    })
    goneJson.assertStatus(404)
    assert.equal(goneJson.body().errors[0].code, 'NOT_FOUND')
    const unknown = await bookOnline(client, 'no-such-salon-anywhere', {
      serviceId: a.serviceId,
      startsAt: localAt(ZONE, 3, '10:00'),
      ...contact('Lost'),
    })
    unknown.assertStatus(404)
    assert.deepEqual(unknown.body(), goneJson.body())
    assert.lengthOf(await appointmentsOf(a.tenant.tenantId), 0)

    // B keeps working
    const stillB = await client.get(`/p/${slugB}/salon/book`)
    stillB.assertStatus(200)
  })

  test("the kernel's per-IP limit on public routes: 429 past PUBLIC_RATE_LIMIT a minute", async ({
    client,
    assert,
  }) => {
    const { tenant, serviceId } = await readySalon(client)
    const slug = await slugOf(tenant)
    const limit = env.get('PUBLIC_RATE_LIMIT', 60)
    const first = await client
      .get(`/p/${slug}/salon/book/slots`)
      .qs({ serviceId })
      .header('Accept', 'application/json')
    first.assertStatus(200)
    assert.equal(first.header('x-ratelimit-limit'), String(limit))
    assert.equal(first.header('x-ratelimit-remaining'), String(limit - 1))
    for (let n = 1; n < limit; n++) {
      const page = await client.get(`/p/${slug}/salon/book`)
      page.assertStatus(200)
    }
    const over = await client
      .get(`/p/${slug}/salon/book/slots`)
      .qs({ serviceId })
      .header('Accept', 'application/json')
    over.assertStatus(429)
    assert.equal(over.body().errors[0].code, 'RATE_LIMITED')
    assert.isAbove(Number(over.header('retry-after')), 0)
  })
})
