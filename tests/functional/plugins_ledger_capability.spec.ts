import { test } from '@japa/runner'
import { signup, unique } from '#tests/helpers'
import { createPluginContext, UndeclaredCapabilityError } from '#plugins/capabilities'
import { tenantContext } from '#tenancy/tenant_context'

test.group('Plugins: the ledger.post capability', () => {
  test('posts for the current tenant with the plugin as source; undeclared is refused', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const context = createPluginContext({
      id: 'notes',
      name: 'Notes',
      version: '1.0.0',
      capabilities: ['ledger.post'],
    })
    const entry = await tenantContext.run(Number(owner.tenantId), () =>
      context.use('ledger.post').post({
        date: '2026-01-15',
        memo: 'posted by a plugin',
        currency: 'USD',
        reference: 'note-1',
        idempotencyKey: `plugin-${unique()}`,
        lines: [
          { account: '1010', side: 'debit', amount: 2500n },
          { account: '4000', side: 'credit', amount: 2500n },
        ],
      })
    )
    assert.equal(entry.sourcePlugin, 'notes')
    assert.equal(entry.sourceReference, 'note-1')
    assert.lengthOf(entry.lines, 2)

    const shown = await client.get(`/api/v1/ledger/entries/${entry.id}`).bearerToken(owner.token)
    shown.assertStatus(200)

    const undeclared = createPluginContext({ id: 'other', name: 'Other', version: '1.0.0' })
    assert.throws(() => undeclared.use('ledger.post'), UndeclaredCapabilityError)
  })
})
