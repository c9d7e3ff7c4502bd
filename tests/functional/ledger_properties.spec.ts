import { test } from '@japa/runner'
import fc from 'fast-check'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { signup, unique } from '#tests/helpers'
import { tenantContext } from '#tenancy/tenant_context'
import { ledger } from '#ledger/ledger_service'
import { LedgerError } from '#ledger/ledger_error'

const ACCOUNTS = ['1010', '1020', '1100', '2000', '3000', '4000', '6100']
const CURRENCIES = ['EUR', 'JPY', 'BHD']
const MONTHS = ['2026-01', '2026-02', '2026-03']

type Command =
  | {
      kind: 'post'
      month: number
      day: number
      legs: { debit: number; credit: number; amount: bigint; currency: number }[]
    }
  | { kind: 'reverse'; pick: number }
  | { kind: 'replay'; pick: number; tamper: boolean }
  | { kind: 'lock' | 'unlock'; month: number }

// up to 2^40 minor units a line: account balances stay within int8 across a run
// (SQLite's SUM refuses to overflow); int8 edges are covered in ledger_api.spec.ts
const amount = fc.bigInt({ min: 1n, max: 2n ** 40n })
const leg = fc.record({
  debit: fc.nat(ACCOUNTS.length - 1),
  credit: fc.nat(ACCOUNTS.length - 1),
  amount,
  currency: fc.nat(CURRENCIES.length - 1),
})
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      month: fc.nat(2),
      day: fc.integer({ min: 1, max: 28 }),
      legs: fc.array(leg, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('replay' as const),
      pick: fc.nat(),
      tamper: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('lock' as const, 'unlock' as const),
      month: fc.nat(2),
    }),
  }
)

/* Checks every invariant of the books of one tenant against the model. */
async function checkInvariants(tenantId: number, expected: Map<string, bigint>, assert: any) {
  const sums = await db
    .from('ledger_lines')
    .where('tenant_id', tenantId)
    .groupBy('currency')
    .select('currency', db.raw('CAST(SUM(amount) AS TEXT) AS total'))
  for (const row of sums) assert.equal(row.total, '0', `trial balance of ${row.currency}`)

  const perAccount = await db
    .from('ledger_lines as l')
    .join('ledger_accounts as a', 'a.id', 'l.account_id')
    .where('l.tenant_id', tenantId)
    .groupBy('a.code', 'l.currency')
    .select('a.code', 'l.currency', db.raw('CAST(SUM(l.amount) AS TEXT) AS total'))
  const actual = new Map<string, bigint>(
    perAccount.map((r: any) => [`${r.code}/${r.currency}`, BigInt(r.total)])
  )
  for (const [key, value] of expected)
    assert.equal(String(actual.get(key) ?? 0n), String(value), key)
  for (const [key, value] of actual)
    assert.equal(String(expected.get(key) ?? 0n), String(value), key)

  // the service's per-account balance agrees with the lines
  const accounts = await db
    .from('ledger_accounts')
    .where('tenant_id', tenantId)
    .select('id', 'code')
  await tenantContext.run(tenantId, async () => {
    for (const account of accounts) {
      for (const [currency, balance] of await ledger.balances(account.id)) {
        assert.equal(String(balance), String(expected.get(`${account.code}/${currency}`) ?? 0n))
      }
    }
  })

  const keys = await db
    .from('ledger_entries')
    .where('tenant_id', tenantId)
    .select(db.raw('COUNT(*) AS n'), db.raw('COUNT(DISTINCT idempotency_key) AS d'))
    .first()
  assert.equal(Number(keys.n), Number(keys.d))

  // no entry sits in a month that was locked when it was posted (overrides are not used here)
  const overridden = await db
    .from('ledger_entries')
    .where('tenant_id', tenantId)
    .where('lock_overridden', true)
  assert.lengthOf(overridden, 0)
}

test.group('Ledger properties', () => {
  test('random postings, reversals, replays and locks keep every invariant', async ({
    client,
    assert,
  }) => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 25 }), async (commands) => {
        // a fresh tenant per run: signups are rate limited per IP
        await limiter.clear()
        const owner = await signup(client)
        const tenantId = Number(owner.tenantId)
        const expected = new Map<string, bigint>()
        const locked = new Set<string>()
        const posted: {
          id: number
          key: string
          input: any
          reversed: boolean
          lines: [string, string, bigint][]
        }[] = []
        const apply = (lines: [string, string, bigint][], sign: bigint) => {
          for (const [code, currency, signed] of lines) {
            const key = `${code}/${currency}`
            expected.set(key, (expected.get(key) ?? 0n) + sign * signed)
          }
        }
        await tenantContext.run(tenantId, async () => {
          for (const cmd of commands) {
            if (cmd.kind === 'lock' || cmd.kind === 'unlock') {
              await ledger.setPeriodLock(MONTHS[cmd.month], cmd.kind === 'lock')
              if (cmd.kind === 'lock') locked.add(MONTHS[cmd.month])
              else locked.delete(MONTHS[cmd.month])
            } else if (cmd.kind === 'post') {
              const lines = cmd.legs.flatMap((l) => [
                {
                  account: ACCOUNTS[l.debit],
                  side: 'debit' as const,
                  amount: l.amount,
                  currency: CURRENCIES[l.currency],
                },
                {
                  account: ACCOUNTS[l.credit],
                  side: 'credit' as const,
                  amount: l.amount,
                  currency: CURRENCIES[l.currency],
                },
              ])
              const date = `${MONTHS[cmd.month]}-${String(cmd.day).padStart(2, '0')}`
              const input = {
                date,
                lines,
                source: { plugin: 'test' },
                idempotencyKey: `p-${unique()}`,
              }
              const total = new Map<string, bigint>()
              for (const l of cmd.legs)
                total.set(
                  CURRENCIES[l.currency],
                  (total.get(CURRENCIES[l.currency]) ?? 0n) + l.amount
                )
              const overflow = [...total.values()].some((t) => t > 9223372036854775807n)
              try {
                const entry = await ledger.post(input)
                assert.isFalse(locked.has(MONTHS[cmd.month]), 'posted into a locked month')
                assert.isFalse(overflow)
                const signed: [string, string, bigint][] = lines.map((l) => [
                  l.account,
                  l.currency,
                  l.side === 'debit' ? l.amount : -l.amount,
                ])
                apply(signed, 1n)
                posted.push({
                  id: entry.id,
                  key: input.idempotencyKey,
                  input,
                  reversed: false,
                  lines: signed,
                })
              } catch (error) {
                assert.instanceOf(error, LedgerError)
                const code = (error as LedgerError).code
                if (code === 'PERIOD_LOCKED') assert.isTrue(locked.has(MONTHS[cmd.month]))
                else
                  assert.isTrue(overflow, `unexpected refusal ${code}: ${(error as Error).message}`)
              }
            } else if ((cmd.kind === 'replay' || cmd.kind === 'reverse') && posted.length) {
              const target = posted[cmd.pick % posted.length]
              if (cmd.kind === 'replay') {
                if (cmd.tamper) {
                  const changed = { ...target.input, memo: 'tampered' }
                  await assert.rejects(() => ledger.post(changed))
                } else {
                  const again = await ledger.post(target.input)
                  assert.equal(again.id, target.id)
                  assert.isTrue(again.replayed)
                }
              } else {
                const today = new Date().toISOString().slice(0, 10)
                try {
                  const reversal = await ledger.reverse(target.id, { date: '2026-04-01' })
                  if (!reversal.replayed) {
                    assert.isFalse(target.reversed)
                    target.reversed = true
                    apply(target.lines, -1n)
                  }
                } catch (error) {
                  assert.equal((error as LedgerError).code, 'ALREADY_REVERSED', today)
                }
              }
            }
          }
        })
        await checkInvariants(tenantId, expected, assert)
      }),
      // every run signs a tenant up (bcrypt): report the first counterexample rather than shrink for minutes
      { numRuns: Number(process.env.LEDGER_PROPERTY_RUNS ?? 8), endOnFailure: true }
    )
  }).timeout(300_000)

  test('parallel postings to the same two accounts stay exact; a raced key posts once', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const tenantId = Number(owner.tenantId)
    const amounts = Array.from({ length: 60 }, (_, i) => BigInt(i + 1) * 1_000_000_007n)
    await tenantContext.run(tenantId, async () => {
      await Promise.all(
        amounts.map((value, i) =>
          ledger.post({
            date: '2026-05-10',
            currency: 'EUR',
            lines: [
              { account: '1020', side: 'debit', amount: value },
              { account: '4000', side: 'credit', amount: value },
            ],
            source: { plugin: 'test' },
            idempotencyKey: `hot-${i}`,
          })
        )
      )
      const raced = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          ledger.post({
            date: '2026-05-11',
            currency: 'EUR',
            lines: [
              { account: '1020', side: 'debit', amount: 5n },
              { account: '4000', side: 'credit', amount: 5n },
            ],
            source: { plugin: 'test' },
            idempotencyKey: 'same-key',
          })
        )
      )
      const ids = new Set(raced.filter((r) => r.status === 'fulfilled').map((r: any) => r.value.id))
      assert.equal(ids.size, 1)
    })
    const expected = amounts.reduce((a, b) => a + b, 0n) + 5n
    const bank = await db
      .from('ledger_accounts')
      .where('tenant_id', tenantId)
      .where('code', '1020')
      .first()
    await tenantContext.run(tenantId, async () => {
      assert.equal(String((await ledger.balances(bank.id)).get('EUR')), String(expected))
    })
    const count = await db
      .from('ledger_entries')
      .where('tenant_id', tenantId)
      .count('* as n')
      .first()
    assert.equal(Number(count.n), 61)
  }).timeout(120_000)
})
