import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { signup } from '#tests/helpers'
import { jobs } from '#jobs/jobs'
import { events } from '#events/events'
import { installRuntimeGates, SCHEDULE_FANOUT_JOB } from '#plugins/wire_runtime'
import { plugins } from '#plugins/main'
import { createPluginContext } from '#plugins/capabilities'
import { tenantContext } from '#tenancy/tenant_context'

test.group('Plugins runtime: jobs, schedules and subscribers follow the switch', (group) => {
  // other suites swap the global gates for their own cases; put back the ones boot installs
  group.setup(() => installRuntimeGates(plugins.registry))

  test('a plugin job runs for tenants that enabled the plugin and is skipped for the others', async ({
    client,
    assert,
  }) => {
    const on = await signup(client)
    const off = await signup(client)
    ;(await client.post('/api/v1/plugins/notes/enable').bearerToken(on.token)).assertStatus(200)

    assert.equal(jobs.get('notes.record')?.owner, 'notes')
    const run = (tenantId: string, body: string) =>
      jobs.execute({
        id: body,
        name: 'notes.record',
        tenantId: Number(tenantId),
        payload: { body },
        attempt: 1,
      })
    assert.equal(await run(on.tenantId, 'ran'), 'done')
    assert.equal(await run(off.tenantId, 'skipped'), 'skipped')
    const rows = await db
      .from('notes_hook_calls')
      .where('hook', 'job')
      .whereIn('detail', ['ran', 'skipped'])
    assert.deepEqual(
      rows.map((row) => [String(row.tenant_id), row.detail]),
      [[on.tenantId, 'ran']]
    )
  })

  test('a plugin schedule is registered under its owner and fans out to enabled tenants only', async ({
    client,
    assert,
  }) => {
    const schedule = jobs.schedules().find((item) => item.key === 'notes.nightly')
    assert.exists(schedule)
    assert.equal(schedule!.owner, 'notes')
    assert.equal(schedule!.jobName, SCHEDULE_FANOUT_JOB)

    const on = await signup(client)
    const off = await signup(client)
    ;(await client.post('/api/v1/plugins/notes/enable').bearerToken(on.token)).assertStatus(200)

    const dispatched: [string, number | null | undefined][] = []
    const original = jobs.dispatch.bind(jobs)
    jobs.dispatch = (async (job: any, _payload: any, options: any = {}) => {
      dispatched.push([typeof job === 'string' ? job : job.name, options.tenantId])
      return 'captured'
    }) as typeof jobs.dispatch
    try {
      await jobs.execute({
        id: 'tick',
        name: SCHEDULE_FANOUT_JOB,
        tenantId: null,
        payload: schedule!.payload,
        attempt: 1,
      })
    } finally {
      jobs.dispatch = original
    }
    const tenants = dispatched.map(([, tenantId]) => tenantId)
    assert.include(tenants, Number(on.tenantId))
    assert.notInclude(tenants, Number(off.tenantId))
    assert.isTrue(dispatched.every(([name]) => name === 'notes.record'))
  })

  test('a plugin subscriber is gated per tenant', async ({ client, assert }) => {
    const on = await signup(client)
    const off = await signup(client)
    ;(await client.post('/api/v1/plugins/notes/enable').bearerToken(on.token)).assertStatus(200)
    const subscriber = events.subscriber('notes.on-enabled')
    assert.exists(subscriber)
    assert.equal(subscriber!.owner, 'notes')
    const event = (tenantId: string) => ({
      id: 'e',
      name: 'kernel.plugin.enabled',
      version: 1,
      tenantId: Number(tenantId),
      aggregate: { type: 'plugin', id: 'notes' },
      payload: { plugin: 'notes', version: '1.0.0' },
      occurredAt: new Date(),
    })
    assert.isTrue(await events.allows(subscriber!, event(on.tenantId)))
    assert.isFalse(await events.allows(subscriber!, event(off.tenantId)))
    // kernel subscribers are never gated by the plugin switch
    const kernelLike = { ...subscriber!, owner: 'kernel' }
    assert.isTrue(await events.allows(kernelLike, event(off.tenantId)))
  })

  test('events.publish and jobs.dispatch: own names, own tenant only', async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const b = await signup(client)
    const context = createPluginContext({
      id: 'notes',
      name: 'Notes',
      version: '1.0.0',
      capabilities: ['events.publish', 'jobs.dispatch'],
    })
    const publisher = context.use('events.publish')
    const dispatcher = context.use('jobs.dispatch')
    publisher.define({ name: 'notes.note.pinned', version: 1, schema: { type: 'object' } })
    assert.throws(
      () => publisher.define({ name: 'ledger.entry.faked', version: 1, schema: {} }),
      /only define events under its own names/
    )
    await tenantContext.run(Number(a.tenantId), async () => {
      await db.transaction(async (trx) => {
        await publisher.publish(
          { name: 'notes.note.pinned', aggregate: { type: 'note', id: 1 }, payload: {} },
          trx
        )
      })
      await assert.rejects(
        () =>
          publisher.publish({
            name: 'notes.note.pinned',
            tenantId: Number(b.tenantId),
            aggregate: { type: 'note', id: 1 },
            payload: {},
          }),
        /may not act for tenant/
      )
      await assert.rejects(
        () => dispatcher.dispatch('notes.record', { body: 'x' }, { tenantId: Number(b.tenantId) }),
        /may not act for tenant/
      )
      await assert.rejects(
        () => dispatcher.dispatch('crm.anything', {}),
        /only dispatch jobs under its own names/
      )
    })
    const published = await db
      .from('event_outbox')
      .where({ name: 'notes.note.pinned' })
      .select('tenant_id')
    assert.deepEqual(
      published.map((row) => String(row.tenant_id)),
      [a.tenantId]
    )
  })
})
