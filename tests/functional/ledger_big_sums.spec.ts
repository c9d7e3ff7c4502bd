import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { signup } from '#tests/helpers'
import { tenantContext } from '#tenancy/tenant_context'
import { ledger } from '#ledger/ledger_service'
import { INT8_MAX } from '#ledger/money'
import { profitAndLoss, statement, trialBalance } from '#ledger/reports'

/*
 * Balances and reports are exact past the 64-bit range on both databases:
 * every line fits int8, but an account's sum of them need not (SQLite's SUM
 * of integers would stop with "integer overflow"; see #ledger/sums).
 */
test.group('Ledger sums past int8', () => {
  test('balances, trial balance, P&L and statement stay exact past 2^63', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const tenantId = Number(owner.tenantId)
    await tenantContext.run(tenantId, async () => {
      const post = (key: string, date: string, amount: bigint) =>
        ledger.post({
          date,
          currency: 'EUR',
          lines: [
            { account: '1100', side: 'debit', amount },
            { account: '4000', side: 'credit', amount },
          ],
          source: { plugin: 'test' },
          idempotencyKey: key,
        })
      // a back-dated posting: in date order the partial sums pass int8 before the last one
      await post('big-1', '2026-04-01', INT8_MAX)
      await post('big-2', '2026-04-03', INT8_MAX)
      await post('big-0', '2026-04-02', INT8_MAX - 6n)
      await post('small', '2026-04-04', 5n)
      const expected = 3n * INT8_MAX - 1n

      const receivable = await db
        .from('ledger_accounts')
        .where('tenant_id', tenantId)
        .where('code', '1100')
        .first()
      const balances = await ledger.balances(receivable.id)
      assert.equal(balances.get('EUR'), expected)

      const trial = await trialBalance({ to: '2026-12-31' })
      assert.equal(trial.totals.EUR.debit, expected)
      assert.equal(trial.totals.EUR.credit, expected)

      const pnl = await profitAndLoss({ from: '2026-01-01', to: '2026-12-31' })
      const april = pnl.months.EUR.find((month: any) => month.month === '2026-04')
      assert.equal(april!.revenue, expected)

      const lines = await statement(receivable.id, { from: '2026-04-02' }, { offset: 0, limit: 10 })
      assert.equal(lines.opening.EUR, INT8_MAX)
      assert.deepEqual(
        lines.rows.map((row) => row.balance),
        [2n * INT8_MAX - 6n, 3n * INT8_MAX - 6n, expected]
      )
    })
  }).timeout(60_000)
})
