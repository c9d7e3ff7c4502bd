import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { signup } from '#tests/helpers'
import { tenantContext } from '#tenancy/tenant_context'
import { ledger, type PostInput } from '#ledger/ledger_service'
import { groupCommit } from '#ledger/group_commit'
import { LedgerError } from '#ledger/ledger_error'

/*
 * Postings submitted together: on PostgreSQL they are written by the group
 * commit (app/ledger/group_commit.ts), many to a transaction; on SQLite one by
 * one. Either way each posting gets its own answer, and everything it writes
 * (entry, lines, audit row, outbox event) exists exactly when it does.
 */

const sale = (key: string, amount: bigint, extra: Partial<PostInput> = {}): PostInput => ({
  date: '2026-03-15',
  currency: 'EUR',
  lines: [
    { account: '1100', side: 'debit', amount },
    { account: '4000', side: 'credit', amount },
  ],
  source: { plugin: 'test' },
  idempotencyKey: key,
  ...extra,
})

const isPostgres = () => db.connection().dialect.name === 'postgres'

/* Every entry of the tenant has its lines balanced, one audit row and one outbox event; nothing else does. */
async function assertWrittenTogether(tenantId: number, assert: any) {
  const entries = await db.from('ledger_entries').where('tenant_id', tenantId).select('id')
  const ids = entries.map((row: any) => String(row.id)).sort()
  const audited = await db
    .from('audit_logs')
    .where('tenant_id', tenantId)
    .whereIn('action', ['ledger.entry.posted', 'ledger.entry.reversed'])
    .select('subject_id')
  assert.deepEqual(audited.map((row: any) => String(row.subject_id)).sort(), ids)
  const outbox = await db
    .from('event_outbox')
    .where('tenant_id', tenantId)
    .where('name', 'ledger.entry.posted')
    .select('aggregate_id', 'payload')
  assert.deepEqual(outbox.map((row: any) => String(row.aggregate_id)).sort(), ids)
  for (const row of outbox)
    assert.equal(String(JSON.parse(row.payload).entryId), String(row.aggregate_id))
  const unbalanced = await db
    .from('ledger_lines')
    .where('tenant_id', tenantId)
    .groupBy('entry_id', 'currency')
    .havingRaw('SUM(amount) <> 0')
    .select('entry_id')
  assert.lengthOf(unbalanced, 0)
  const lines = await db.from('ledger_lines').where('tenant_id', tenantId).count('* as n').first()
  assert.equal(Number(lines.n), ids.length * 2)
  return ids.length
}

test.group('Ledger group commit', () => {
  test('a batch with invalid postings: each gets its own answer, the valid ones post', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const tenantId = Number(owner.tenantId)
    await tenantContext.run(tenantId, async () => {
      await ledger.post(sale('existing', 700n))
      await ledger.setPeriodLock('2026-02', true)
      await db
        .from('ledger_accounts')
        .where('tenant_id', tenantId)
        .where('code', '6100')
        .update({ is_active: false })
      const before = { ...groupCommit.stats }

      // submitted in one tick: on PostgreSQL they share batches
      const inputs: PostInput[] = [
        ...Array.from({ length: 12 }, (_, i) => sale(`ok-${i}`, BigInt(i + 1) * 100n)),
        sale('unknown-account', 5n, {
          lines: [
            { account: '9999', side: 'debit', amount: 5n },
            { account: '4000', side: 'credit', amount: 5n },
          ],
        }),
        sale('inactive-account', 5n, {
          lines: [
            { account: '6100', side: 'debit', amount: 5n },
            { account: '1100', side: 'credit', amount: 5n },
          ],
        }),
        sale('locked-month', 5n, { date: '2026-02-10' }),
        sale('existing', 700n),
        sale('existing', 701n),
        sale('ok-0', 100n),
        // text goes into the batch statement as escaped literals: it must come back byte for byte
        sale('quoted', 42n, {
          memo: `O'Brien's \\ "bill"; DROP TABLE ledger_lines; -- é ✓ $$ E'\\x00'`,
          source: { plugin: 'test', reference: "ref'); --" },
        }),
      ]
      const results = await Promise.allSettled(inputs.map((input) => ledger.post(input)))
      const answer = (i: number) => results[i]
      const code = (i: number) => {
        const result = answer(i)
        return result.status === 'rejected' && result.reason instanceof LedgerError
          ? `${result.reason.status} ${result.reason.code}`
          : result.status
      }

      for (let i = 0; i < 12; i++) assert.equal(code(i), 'fulfilled', `ok-${i}`)
      assert.equal(code(12), '422 UNKNOWN_ACCOUNT')
      assert.equal(code(13), '422 INACTIVE_ACCOUNT')
      assert.equal(code(14), '423 PERIOD_LOCKED')
      assert.equal(code(16), '409 IDEMPOTENCY_KEY_REUSED')
      const replay = answer(15) as PromiseFulfilledResult<any>
      assert.isTrue(replay.value.replayed)
      // the same key twice in one go: one posting, the other answer replays it
      const first = answer(0) as PromiseFulfilledResult<any>
      const again = answer(17) as PromiseFulfilledResult<any>
      assert.equal(again.value.id, first.value.id)
      assert.deepEqual(
        [first.value.replayed, again.value.replayed].sort(),
        [false, true],
        'one of the two is the replay'
      )

      const quoted = (answer(18) as PromiseFulfilledResult<any>).value
      const storedQuoted = await ledger.find(quoted.id)
      assert.equal(storedQuoted!.memo, inputs[18].memo)
      assert.equal(storedQuoted!.sourceReference, "ref'); --")
      assert.equal(storedQuoted!.lines[0].amount, 42n)

      const posted = (answer(3) as PromiseFulfilledResult<any>).value
      assert.equal(posted.lines[0].amount, 400n)
      assert.equal(posted.lines[0].accountCode, '1100')
      const stored = await ledger.find(posted.id)
      assert.deepEqual(
        stored!.lines.map((line) => [line.id, line.accountCode, line.side, line.amount]),
        posted.lines.map((line: any) => [line.id, line.accountCode, line.side, line.amount])
      )

      if (isPostgres()) {
        const batches = groupCommit.stats.batches - before.batches
        const written = groupCommit.stats.written - before.written
        assert.isAtLeast(written, 13, 'the valid postings went through the group commit')
        assert.isBelow(batches, 12, 'several postings shared a transaction')
      }
    })
    assert.equal(await assertWrittenTogether(tenantId, assert), 14)
  }).timeout(60_000)

  test('a batch whose transaction fails: every posting is retried alone', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const tenantId = Number(owner.tenantId)
    // a database-side failure for one memo only, as a broken row would cause
    if (isPostgres()) {
      await db.rawQuery(`
        CREATE OR REPLACE FUNCTION ledger_test_boom() RETURNS trigger AS $$
        BEGIN
          IF NEW.memo = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF;
          RETURN NEW;
        END; $$ LANGUAGE plpgsql`)
      await db.rawQuery(
        `CREATE TRIGGER ledger_test_boom BEFORE INSERT ON ledger_entries
         FOR EACH ROW EXECUTE FUNCTION ledger_test_boom()`
      )
    } else {
      await db.rawQuery(
        `CREATE TRIGGER ledger_test_boom BEFORE INSERT ON ledger_entries
         WHEN NEW.memo = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END`
      )
    }
    try {
      await tenantContext.run(tenantId, async () => {
        const before = { ...groupCommit.stats }
        const inputs = Array.from({ length: 10 }, (_, i) =>
          sale(`f-${i}`, 1000n + BigInt(i), i === 6 ? { memo: 'boom' } : {})
        )
        const results = await Promise.allSettled(inputs.map((input) => ledger.post(input)))
        results.forEach((result, i) => {
          if (i === 6) {
            assert.equal(result.status, 'rejected')
            assert.include(String((result as PromiseRejectedResult).reason), 'boom refused')
          } else {
            assert.equal(result.status, 'fulfilled', `f-${i}`)
          }
        })
        if (isPostgres()) assert.isAbove(groupCommit.stats.failedBatches, before.failedBatches)
      })
    } finally {
      if (isPostgres()) {
        await db.rawQuery('DROP TRIGGER IF EXISTS ledger_test_boom ON ledger_entries')
        await db.rawQuery('DROP FUNCTION IF EXISTS ledger_test_boom()')
      } else {
        await db.rawQuery('DROP TRIGGER IF EXISTS ledger_test_boom')
      }
    }
    assert.equal(await assertWrittenTogether(tenantId, assert), 9)
  }).timeout(60_000)

  test('concurrent replays of one key post once; another payload under that key is a 409', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const other = await signup(client)
    const tenantId = Number(owner.tenantId)
    await tenantContext.run(tenantId, async () => {
      // spread over ticks so they land in different batches and race on the unique index
      const results = await Promise.allSettled(
        Array.from({ length: 24 }, async (_, i) => {
          await new Promise((resolve) => setTimeout(resolve, i % 4))
          return ledger.post(sale('shared-key', i % 3 === 2 ? 999n : 250n))
        })
      )
      const fulfilled = results.filter(
        (r) => r.status === 'fulfilled'
      ) as PromiseFulfilledResult<any>[]
      const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]
      const ids = new Set(fulfilled.map((r) => r.value.id))
      assert.equal(ids.size, 1, 'one entry for the key')
      assert.equal(fulfilled.filter((r) => !r.value.replayed).length, 1, 'one first posting')
      const winner = fulfilled[0].value
      // whichever payload won, every other payload is refused
      const winnerAmount = winner.lines[0].amount
      for (const [i, result] of results.entries()) {
        const amount = i % 3 === 2 ? 999n : 250n
        if (amount === winnerAmount) assert.equal(result.status, 'fulfilled')
        else {
          assert.equal(result.status, 'rejected')
          assert.equal((result as PromiseRejectedResult).reason.code, 'IDEMPOTENCY_KEY_REUSED')
        }
      }
      assert.equal(fulfilled.length + rejected.length, 24)
    })
    // the same key in another tenant is another entry
    await tenantContext.run(Number(other.tenantId), async () => {
      const posted = await ledger.post(sale('shared-key', 250n))
      assert.isFalse(posted.replayed)
    })
    assert.equal(await assertWrittenTogether(tenantId, assert), 1)
    assert.equal(await assertWrittenTogether(Number(other.tenantId), assert), 1)
  }).timeout(60_000)

  test('locking a month while postings to it are in flight: each is posted before the lock or refused', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const tenantId = Number(owner.tenantId)
    await tenantContext.run(tenantId, async () => {
      const inFlight = Array.from({ length: 40 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i % 8))
        return ledger.post(sale(`july-${i}`, 10n + BigInt(i), { date: '2026-07-20' }))
      })
      await new Promise((resolve) => setTimeout(resolve, 3))
      await ledger.setPeriodLock('2026-07', true)
      const results = await Promise.allSettled(inFlight)
      const posted = results.filter((r) => r.status === 'fulfilled')
      for (const result of results) {
        if (result.status === 'rejected') assert.equal(result.reason.code, 'PERIOD_LOCKED')
      }
      const stored = await db
        .from('ledger_entries')
        .where('tenant_id', tenantId)
        .count('* as n')
        .first()
      assert.equal(Number(stored.n), posted.length)
      // once the lock has answered, nothing more gets into the month
      await assert.rejects(() => ledger.post(sale('july-late', 5n, { date: '2026-07-21' })))
    })
    await assertWrittenTogether(tenantId, assert)
  }).timeout(60_000)

  test('posting in the caller transaction: all or nothing with it; a refused posting leaves it usable', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const tenantId = Number(owner.tenantId)
    await tenantContext.run(tenantId, async () => {
      const before = groupCommit.stats.inTransaction
      // rolled back with the caller's change: no entry, line, audit row or event
      await assert.rejects(() =>
        db.transaction(async (trx) => {
          const posted = await ledger.post(sale('in-trx-rolled-back', 300n), { trx })
          assert.isFalse(posted.replayed)
          throw new Error('the caller gives up')
        })
      )
      assert.isNull(await db.from('ledger_entries').where('tenant_id', tenantId).first())

      const posted = await db.transaction(async (trx) => {
        const first = await ledger.post(sale('in-trx', 400n), { trx })
        // refused before anything is written: the transaction goes on
        await assert.rejects(
          () =>
            ledger.post(
              sale('in-trx-bad', 5n, {
                lines: [
                  { account: '9999', side: 'debit', amount: 5n },
                  { account: '4000', side: 'credit', amount: 5n },
                ],
              }),
              { trx }
            ),
          /Unknown account/
        )
        // the same key again in the same transaction replays it
        const again = await ledger.post(sale('in-trx', 400n), { trx })
        assert.equal(again.id, first.id)
        assert.isTrue(again.replayed)
        return first
      })
      const stored = await ledger.find(posted.id)
      assert.deepEqual(
        stored!.lines.map((line) => [line.id, line.accountCode, line.side, line.amount]),
        posted.lines.map((line) => [line.id, line.accountCode, line.side, line.amount])
      )
      if (isPostgres()) assert.isAtLeast(groupCommit.stats.inTransaction - before, 2)
    })
    assert.equal(await assertWrittenTogether(tenantId, assert), 1)
  }).timeout(60_000)
})
