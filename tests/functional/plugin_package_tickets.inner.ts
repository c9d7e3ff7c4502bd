/*
 * Runs only inside the child process started by plugin_package_tickets.spec.ts,
 * which installed the packed examples/tickets into a temporary node_modules and
 * boots Plinth with PLINTH_PLUGIN_PACKAGES=plinth-plugin-tickets. (Not a
 * *.spec.ts file: the normal suite does not load it.)
 */
import { randomUUID } from 'node:crypto'
import { relative } from 'node:path'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { pluginTestKit } from '#plinth/testing'
import { plugins } from '#plugins/main'
import { jobs } from '#jobs/jobs'
import User from '#models/user'
import AuditLogEntry from '#models/audit_log_entry'
import { signup, login, PASSWORD } from '#tests/helpers'

pluginTestKit(test, {
  plugin: 'tickets',
  routes: { 'POST /tickets': { subject: 'Printer on fire' } },
  jobs: { 'tickets.close-stale': { days: 30 } },
})

test.group('Tickets, installed from its npm package', () => {
  test('loads as a package and adds its route, table, permission, page and job', async ({
    client,
    assert,
  }) => {
    const plugin = plugins.registry.get('tickets')!
    assert.equal(plugin.origin, 'package')
    assert.equal(plugin.source, 'package plinth-plugin-tickets')
    assert.include(plugin.root, `${process.env.PLINTH_PLUGIN_PACKAGE_PATHS}/node_modules/`)

    const owner = await signup(client)
    const before = await client.get('/api/v1/tickets/tickets').bearerToken(owner.token)
    before.assertStatus(404)
    assert.equal(before.body().errors[0].code, 'PLUGIN_NOT_ENABLED')
    ;(
      await client
        .post('/api/v1/plugins/tickets/enable')
        .bearerToken(owner.token)
        .header('Idempotency-Key', randomUUID())
    ).assertStatus(200)

    // route + table
    const opened = await client
      .post('/api/v1/tickets/tickets')
      .bearerToken(owner.token)
      .header('Idempotency-Key', randomUUID())
      .json({ data: { attributes: { subject: 'Boiler makes a noise', priority: 'high' } } })
    opened.assertStatus(201)
    assert.equal(opened.body().data.attributes.status, 'open')
    const ticketId = opened.body().data.id
    const audited = await AuditLogEntry.query()
      .where('action', 'tickets.ticket.opened')
      .where('subject_id', String(ticketId))
      .first()
    assert.exists(audited)
    const bad = await client
      .post('/api/v1/tickets/tickets')
      .bearerToken(owner.token)
      .header('Idempotency-Key', randomUUID())
      .json({ data: { attributes: { subject: 'x', priority: 'urgent' } } })
    bad.assertStatus(422)

    // permission: a worker reads (default role) but may not open tickets
    const worker = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .header('Idempotency-Key', randomUUID())
        .json({ email: worker.email, role: 'worker' })
    ).assertStatus(201)
    const workerToken = await login(client, worker.email, owner.slug, PASSWORD)
    ;(await client.get('/api/v1/tickets/tickets').bearerToken(workerToken)).assertStatus(200)
    ;(
      await client
        .post('/api/v1/tickets/tickets')
        .bearerToken(workerToken)
        .header('Idempotency-Key', randomUUID())
        .json({ data: { attributes: { subject: 'Not allowed' } } })
    ).assertStatus(403)

    // page + nav, rendered from the package's pages/index.vue
    const ownerUser = await User.findOrFail(Number(owner.ownerId))
    const page = await client
      .get('/app/tickets')
      .withInertia()
      .loginAs(ownerUser)
      .withSession({ tenantId: Number(owner.tenantId) })
    page.assertStatus(200)
    page.assertInertiaComponent('plugins/tickets/index')
    assert.deepEqual(
      page.inertiaProps.tickets.map((ticket: { subject: string }) => ticket.subject),
      ['Boiler makes a noise']
    )
    assert.include(
      page.inertiaProps.shell.nav.map((item: { href: string }) => item.href),
      '/app/tickets'
    )
    // the dev server lists the package's page and compiles it
    const listed = await client.get('/@id/__x00__virtual:plinth/plugin-pages')
    listed.assertStatus(200)
    assert.include(listed.text(), '"plugins/tickets/index"')
    const file = `/${relative(app.makePath(), plugin.root)}/pages/index.vue`
    assert.include(listed.text(), file.slice(1))
    const compiled = await client.get(file)
    compiled.assertStatus(200)
    assert.include(compiled.text(), 'No tickets yet.')

    // job: the nightly clean-up closes stale tickets of the tenant it runs for
    assert.exists(jobs.schedules().find((schedule) => schedule.key === 'tickets.nightly-clean-up'))
    const run = { name: 'tickets.close-stale', payload: { days: 0 }, attempt: 1 }
    const outcome = await jobs.execute({
      ...run,
      id: randomUUID(),
      tenantId: Number(owner.tenantId),
    })
    assert.equal(outcome, 'done')
    const closed = await client.get(`/api/v1/tickets/tickets/${ticketId}`).bearerToken(owner.token)
    assert.equal(closed.body().data.attributes.status, 'closed')
  })
})
