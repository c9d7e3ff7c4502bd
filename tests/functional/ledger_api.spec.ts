import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { signup, login, unique } from '#tests/helpers'

type Line = {
  account: string | number
  side: 'debit' | 'credit'
  amount: string
  currency?: string
}

export async function postEntry(
  client: ApiClient,
  token: string,
  attributes: {
    date?: string
    lines: Line[]
    currency?: string
    memo?: string
    idempotencyKey?: string
    overrideLock?: boolean
  }
) {
  return client
    .post('/api/v1/ledger/entries')
    .bearerToken(token)
    .json({
      data: {
        attributes: {
          date: '2026-03-15',
          currency: 'EUR',
          idempotencyKey: `k-${unique()}`,
          ...attributes,
        },
      },
    })
}

const sale = (amount: string): Line[] => [
  { account: '1100', side: 'debit', amount },
  { account: '4000', side: 'credit', amount },
]

test.group('Ledger API', () => {
  test('signup seeds a default chart with retained earnings', async ({ client, assert }) => {
    const owner = await signup(client)
    const list = await client.get('/api/v1/ledger/accounts?limit=100').bearerToken(owner.token)
    list.assertStatus(200)
    const codes = list.body().data.map((a: any) => a.attributes.code)
    assert.includeMembers(codes, ['1010', '1100', '2000', '3900', '4000', '6100'])
    const retained = list.body().data.find((a: any) => a.attributes.role === 'retained_earnings')
    assert.equal(retained.attributes.type, 'equity')
    assert.equal(retained.attributes.normalSide, 'credit')
    const rent = list.body().data.find((a: any) => a.attributes.code === '6100')
    const opex = list.body().data.find((a: any) => a.attributes.code === '6000')
    assert.equal(rent.attributes.parentId, Number(opex.id))
  })

  test('posts a balanced entry with exact bigint amounts and shows it', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const big = '9007199254740993' // 2^53 + 1: a float would round it
    const created = await postEntry(client, owner.token, { lines: sale(big), memo: 'Big sale' })
    created.assertStatus(201)
    const entry = created.body().data
    assert.equal(entry.attributes.lines[0].amount, big)
    assert.equal(entry.attributes.lines[0].formatted, '90071992547409.93')
    assert.equal(entry.attributes.sourcePlugin, 'kernel')

    const shown = await client.get(`/api/v1/ledger/entries/${entry.id}`).bearerToken(owner.token)
    shown.assertStatus(200)
    assert.deepEqual(
      shown.body().data.attributes.lines.map((l: any) => [l.accountCode, l.side, l.amount]),
      [
        ['1100', 'debit', big],
        ['4000', 'credit', big],
      ]
    )
    const accounts = await client
      .get('/api/v1/ledger/accounts?filter[type]=asset&search=receivable')
      .bearerToken(owner.token)
    const ar = accounts.body().data[0]
    const detail = await client.get(`/api/v1/ledger/accounts/${ar.id}`).bearerToken(owner.token)
    assert.deepEqual(detail.body().data.attributes.balances, [
      { currency: 'EUR', balance: big, formatted: '90071992547409.93' },
    ])
    const log = await client
      .get('/api/v1/audit-log?filter[action]=ledger.entry.posted')
      .bearerToken(owner.token)
    assert.equal(log.body().data[0].attributes.subjectId, String(entry.id))
    // the domain event went to the outbox with the entry
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const outbox = await db
      .from('event_outbox')
      .where('name', 'ledger.entry.posted')
      .where('aggregate_id', String(entry.id))
      .where('tenant_id', Number(owner.tenantId))
    assert.lengthOf(outbox, 1)
    assert.equal(JSON.parse(outbox[0].payload).lines[0].amount, big)
  })

  test('replaying an idempotency key returns the first entry; another payload is a 409', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const key = `sale-${unique()}`
    const first = await postEntry(client, owner.token, { lines: sale('1000'), idempotencyKey: key })
    first.assertStatus(201)
    const again = await postEntry(client, owner.token, { lines: sale('1000'), idempotencyKey: key })
    again.assertStatus(200)
    assert.equal(again.body().data.id, first.body().data.id)
    assert.isTrue(again.body().meta.replayed)
    const other = await postEntry(client, owner.token, { lines: sale('1001'), idempotencyKey: key })
    other.assertStatus(409)
    assert.equal(other.body().errors[0].code, 'IDEMPOTENCY_KEY_REUSED')
    const list = await client.get('/api/v1/ledger/entries').bearerToken(owner.token)
    assert.equal(list.body().meta.total, 1)
  })

  test('bad entries are clear 4xx errors and write nothing', async ({ client, assert }) => {
    const owner = await signup(client)
    const cases: [any, number, string, string][] = [
      [
        {
          lines: [
            { account: '1100', side: 'debit', amount: '100' },
            { account: '4000', side: 'credit', amount: '99' },
          ],
        },
        422,
        'ENTRY_UNBALANCED',
        '/data/attributes/lines',
      ],
      [
        {
          lines: [
            { account: '1100', side: 'debit', amount: '100', currency: 'EUR' },
            { account: '4000', side: 'credit', amount: '100', currency: 'USD' },
          ],
        },
        422,
        'ENTRY_UNBALANCED',
        '/data/attributes/lines',
      ],
      [{ lines: sale('12.5') }, 422, 'VALIDATION_ERROR', '/data/attributes/lines/0/amount'],
      [
        {
          lines: [
            { account: '1100', side: 'debit', amount: 12.5 },
            { account: '4000', side: 'credit', amount: 12.5 },
          ],
        },
        422,
        'VALIDATION_ERROR',
        '/data/attributes/lines/0/amount',
      ],
      [
        { lines: sale('9223372036854775808') },
        422,
        'VALIDATION_ERROR',
        '/data/attributes/lines/0/amount',
      ],
      [{ lines: sale('-5') }, 422, 'VALIDATION_ERROR', '/data/attributes/lines/0/amount'],
      [{ lines: sale('0') }, 422, 'VALIDATION_ERROR', '/data/attributes/lines/0/amount'],
      [
        {
          lines: [
            { account: '9999', side: 'debit', amount: '1' },
            { account: '4000', side: 'credit', amount: '1' },
          ],
        },
        422,
        'UNKNOWN_ACCOUNT',
        '/data/attributes/lines/0/account',
      ],
      [{ lines: sale('1'), date: '2026-02-30' }, 422, 'VALIDATION_ERROR', '/data/attributes/date'],
      [{ lines: sale('1'), currency: 'XXQ' }, 422, 'VALIDATION_ERROR', '/data/attributes/currency'],
      [
        { lines: [{ account: '1100', side: 'debit', amount: '1' }] },
        422,
        'VALIDATION_ERROR',
        '/data/attributes/lines',
      ],
      [
        {
          lines: [
            { account: '1100', side: 'up', amount: '1' },
            { account: '4000', side: 'credit', amount: '1' },
          ],
        },
        422,
        'VALIDATION_ERROR',
        '/data/attributes/lines/0/side',
      ],
    ]
    // an overflow of the per-currency total
    cases.push([
      {
        lines: [
          { account: '1100', side: 'debit', amount: '9223372036854775807' },
          { account: '1010', side: 'debit', amount: '1' },
          { account: '4000', side: 'credit', amount: '9223372036854775807' },
          { account: '4100', side: 'credit', amount: '1' },
        ],
      },
      422,
      'VALIDATION_ERROR',
      '/data/attributes/lines',
    ])
    for (const [attributes, status, code, pointer] of cases) {
      const response = await postEntry(client, owner.token, attributes)
      assert.equal(response.status(), status, JSON.stringify(attributes) + response.text())
      assert.equal(response.body().errors[0].code, code, response.text())
      assert.equal(response.body().errors[0].source?.pointer, pointer, response.text())
    }
    // inactive account
    const accounts = await client
      .get('/api/v1/ledger/accounts?search=Inventory')
      .bearerToken(owner.token)
    const inventory = accounts.body().data[0]
    ;(
      await client
        .patch(`/api/v1/ledger/accounts/${inventory.id}`)
        .bearerToken(owner.token)
        .json({ isActive: false })
    ).assertStatus(200)
    const inactive = await postEntry(client, owner.token, {
      lines: [
        { account: Number(inventory.id) as any, side: 'debit', amount: '1' },
        { account: '2000', side: 'credit', amount: '1' },
      ],
    })
    inactive.assertStatus(422)
    assert.equal(inactive.body().errors[0].code, 'INACTIVE_ACCOUNT')
    // a currency-bound account refuses another currency
    const jpy = await client
      .post('/api/v1/ledger/accounts')
      .bearerToken(owner.token)
      .json({ code: '1030', name: 'Tokyo bank', type: 'asset', currency: 'JPY' })
    jpy.assertStatus(201)
    const mismatch = await postEntry(client, owner.token, {
      lines: [
        { account: '1030', side: 'debit', amount: '5', currency: 'EUR' },
        { account: '4000', side: 'credit', amount: '5', currency: 'EUR' },
      ],
    })
    mismatch.assertStatus(422)
    assert.equal(mismatch.body().errors[0].code, 'CURRENCY_MISMATCH')
    const none = await client.get('/api/v1/ledger/entries').bearerToken(owner.token)
    assert.equal(none.body().meta.total, 0)
    const tb = await client.get('/api/v1/ledger/reports/trial-balance').bearerToken(owner.token)
    assert.deepEqual(tb.body().data.attributes.rows, [])
  })

  test('multi-currency entries balance per currency; JPY and BHD exponents', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const created = await postEntry(client, owner.token, {
      currency: undefined,
      lines: [
        { account: '1020', side: 'debit', amount: '1500', currency: 'JPY' },
        { account: '4000', side: 'credit', amount: '1500', currency: 'JPY' },
        { account: '1020', side: 'debit', amount: '1234', currency: 'BHD' },
        { account: '4000', side: 'credit', amount: '1234', currency: 'BHD' },
      ],
    })
    created.assertStatus(201)
    const formatted = created.body().data.attributes.lines.map((l: any) => l.formatted)
    assert.deepEqual(formatted, ['1500', '1500', '1.234', '1.234'])
    const tb = await client
      .get('/api/v1/ledger/reports/trial-balance?to=2026-12-31')
      .bearerToken(owner.token)
    assert.deepEqual(tb.body().data.attributes.totals, {
      BHD: { debit: '1234', credit: '1234' },
      JPY: { debit: '1500', credit: '1500' },
    })
  })

  test('reversal posts the mirror entry once and is audited; entries cannot be changed', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const created = await postEntry(client, owner.token, { lines: sale('700') })
    const id = created.body().data.id
    const reversed = await client
      .post(`/api/v1/ledger/entries/${id}/reverse`)
      .bearerToken(owner.token)
      .json({ date: '2026-03-20' })
    reversed.assertStatus(201)
    const reversal = reversed.body().data
    assert.equal(reversal.attributes.reversesEntryId, Number(id))
    assert.deepEqual(
      reversal.attributes.lines.map((l: any) => [l.accountCode, l.side, l.amount]),
      [
        ['1100', 'credit', '700'],
        ['4000', 'debit', '700'],
      ]
    )
    const shown = await client.get(`/api/v1/ledger/entries/${id}`).bearerToken(owner.token)
    assert.equal(shown.body().data.attributes.reversedByEntryId, Number(reversal.id))
    const again = await client
      .post(`/api/v1/ledger/entries/${id}/reverse`)
      .bearerToken(owner.token)
      .json({ date: '2026-03-21' })
    assert.oneOf(again.status(), [200, 409])
    const tb = await client
      .get('/api/v1/ledger/reports/trial-balance?to=2026-12-31')
      .bearerToken(owner.token)
    assert.deepEqual(tb.body().data.attributes.rows, [])
    const log = await client
      .get('/api/v1/audit-log?filter[action]=ledger.entry.reversed')
      .bearerToken(owner.token)
    assert.equal(log.body().meta.total, 1)
    ;(
      await client.post('/api/v1/ledger/entries/99999999/reverse').bearerToken(owner.token).json({})
    ).assertStatus(404)
  })

  test('the database refuses to update or delete posted entries and lines', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const created = await postEntry(client, owner.token, { lines: sale('300') })
    const id = Number(created.body().data.id)
    const { default: db } = await import('@adonisjs/lucid/services/db')
    await assert.rejects(() => db.from('ledger_lines').where('entry_id', id).update({ amount: 1 }))
    await assert.rejects(() => db.from('ledger_lines').where('entry_id', id).delete())
    await assert.rejects(() =>
      db.from('ledger_entries').where('id', id).update({ memo: 'changed' })
    )
    await assert.rejects(() => db.from('ledger_entries').where('id', id).delete())
    const lines = await db
      .from('ledger_lines')
      .where('entry_id', id)
      .select(db.raw('CAST(amount AS TEXT) AS amount'))
    assert.deepEqual(lines.map((l: any) => l.amount).sort(), ['-300', '300'])
  })

  test('locked periods refuse postings; the override permission is audited', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const locked = await client
      .post('/api/v1/ledger/periods/2026-01/lock')
      .bearerToken(owner.token)
      .json({})
    locked.assertStatus(200)
    assert.isTrue(locked.body().data.attributes.isLocked)
    const refused = await postEntry(client, owner.token, { date: '2026-01-31', lines: sale('10') })
    refused.assertStatus(423)
    assert.equal(refused.body().errors[0].code, 'PERIOD_LOCKED')
    ;(await postEntry(client, owner.token, { date: '2026-02-01', lines: sale('10') })).assertStatus(
      201
    )

    // the owner holds every permission, including the override
    const overridden = await postEntry(client, owner.token, {
      date: '2026-01-15',
      lines: sale('10'),
      overrideLock: true,
    })
    overridden.assertStatus(201)
    assert.isTrue(overridden.body().data.attributes.lockOverridden)
    const log = await client
      .get('/api/v1/audit-log?filter[action]=ledger.period.override,ledger.period.locked')
      .bearerToken(owner.token)
    assert.sameMembers(
      log.body().data.map((e: any) => e.attributes.action),
      ['ledger.period.override', 'ledger.period.locked']
    )

    // an admin may lock but not override
    const admin = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: admin.email, role: 'admin' })
    ).assertStatus(201)
    const adminToken = await login(client, admin.email, owner.slug)
    const denied = await postEntry(client, adminToken, {
      date: '2026-01-15',
      lines: sale('10'),
      overrideLock: true,
    })
    denied.assertStatus(403)

    ;(
      await client.post('/api/v1/ledger/periods/2026-01/unlock').bearerToken(adminToken).json({})
    ).assertStatus(200)
    ;(await postEntry(client, adminToken, { date: '2026-01-15', lines: sale('10') })).assertStatus(
      201
    )
    const periods = await client.get('/api/v1/ledger/periods').bearerToken(owner.token)
    assert.deepEqual(
      periods.body().data.map((p: any) => [p.id, p.attributes.isLocked]),
      [['2026-01', false]]
    )
  })

  test('reports: P&L flows into equity on the balance sheet; statement running balance; CSV', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    await postEntry(client, owner.token, {
      date: '2026-01-10',
      lines: [
        { account: '1020', side: 'debit', amount: '100000' },
        { account: '3000', side: 'credit', amount: '100000' },
      ],
    })
    await postEntry(client, owner.token, { date: '2026-01-20', lines: sale('50000') })
    await postEntry(client, owner.token, {
      date: '2026-02-05',
      lines: [
        { account: '6100', side: 'debit', amount: '20000' },
        { account: '1020', side: 'credit', amount: '20000' },
      ],
    })
    await postEntry(client, owner.token, { date: '2026-02-25', lines: sale('5000') })

    const pl = await client
      .get('/api/v1/ledger/reports/profit-and-loss?from=2026-01-01&to=2026-12-31')
      .bearerToken(owner.token)
    pl.assertStatus(200)
    assert.deepEqual(pl.body().data.attributes.totals.EUR, {
      revenue: '55000',
      expense: '20000',
      netIncome: '35000',
    })
    assert.deepEqual(pl.body().data.attributes.months.EUR, [
      { month: '2026-01', revenue: '50000', expense: '0', netIncome: '50000' },
      { month: '2026-02', revenue: '5000', expense: '20000', netIncome: '-15000' },
    ])

    const bs = await client
      .get('/api/v1/ledger/reports/balance-sheet?to=2026-12-31')
      .bearerToken(owner.token)
    const attrs = bs.body().data.attributes
    assert.deepEqual(attrs.totals.EUR, { assets: '135000', liabilities: '0', equity: '135000' })
    assert.deepEqual(attrs.currentEarnings, { EUR: '35000' })
    assert.isTrue(attrs.balanced.EUR)
    const early = await client
      .get('/api/v1/ledger/reports/balance-sheet?to=2026-01-15')
      .bearerToken(owner.token)
    assert.deepEqual(early.body().data.attributes.totals.EUR, {
      assets: '100000',
      liabilities: '0',
      equity: '100000',
    })

    const accounts = await client
      .get('/api/v1/ledger/accounts?search=Bank account')
      .bearerToken(owner.token)
    const bank = accounts.body().data[0]
    const st = await client
      .get(`/api/v1/ledger/accounts/${bank.id}/statement?from=2026-02-01`)
      .bearerToken(owner.token)
    st.assertStatus(200)
    assert.deepEqual(st.body().meta.openingBalances, { EUR: '100000' })
    assert.deepEqual(
      st
        .body()
        .data.map((l: any) => [l.attributes.side, l.attributes.amount, l.attributes.balance]),
      [['credit', '20000', '80000']]
    )

    const csv = await client
      .get('/api/v1/ledger/reports/trial-balance?to=2026-12-31&format=csv')
      .bearerToken(owner.token)
    csv.assertStatus(200)
    assert.include(csv.header('content-type'), 'text/csv')
    assert.include(csv.text(), '"EUR","1020","Bank account","asset","800.00",""')
    assert.include(csv.text(), '"EUR","","Total","","1550.00","1550.00"')
    for (const path of ['profit-and-loss', 'balance-sheet']) {
      const response = await client
        .get(`/api/v1/ledger/reports/${path}?format=csv`)
        .bearerToken(owner.token)
      response.assertStatus(200)
      assert.include(response.header('content-type'), 'text/csv')
    }
    ;(
      await client.get('/api/v1/ledger/reports/trial-balance?to=yesterday').bearerToken(owner.token)
    ).assertStatus(400)
    ;(
      await client.get('/api/v1/ledger/reports/trial-balance?format=xls').bearerToken(owner.token)
    ).assertStatus(400)

    const filtered = await client
      .get(`/api/v1/ledger/entries?filter[account]=${bank.id}&filter[from]=2026-02-01`)
      .bearerToken(owner.token)
    assert.equal(filtered.body().meta.total, 1)
  })

  test('tenants never see each other; roles without ledger permissions are refused', async ({
    client,
    assert,
  }) => {
    const a = await signup(client)
    const b = await signup(client)
    const entry = await postEntry(client, a.token, { lines: sale('1') })
    ;(
      await client.get(`/api/v1/ledger/entries/${entry.body().data.id}`).bearerToken(b.token)
    ).assertStatus(404)
    ;(
      await client
        .post(`/api/v1/ledger/entries/${entry.body().data.id}/reverse`)
        .bearerToken(b.token)
        .json({})
    ).assertStatus(404)
    const accountsA = await client.get('/api/v1/ledger/accounts?limit=1').bearerToken(a.token)
    ;(
      await client
        .get(`/api/v1/ledger/accounts/${accountsA.body().data[0].id}`)
        .bearerToken(b.token)
    ).assertStatus(404)
    // b cannot post to a's account by id
    const cross = await postEntry(client, b.token, {
      lines: [
        { account: Number(accountsA.body().data[0].id) as any, side: 'debit', amount: '1' },
        { account: '4000', side: 'credit', amount: '1' },
      ],
    })
    cross.assertStatus(422)
    assert.equal(cross.body().errors[0].code, 'UNKNOWN_ACCOUNT')

    const worker = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(a.token)
        .json({ email: worker.email, role: 'limited_worker' })
    ).assertStatus(201)
    const workerToken = await login(client, worker.email, a.slug)
    ;(await client.get('/api/v1/ledger/accounts').bearerToken(workerToken)).assertStatus(403)
    ;(await postEntry(client, workerToken, { lines: sale('1') })).assertStatus(403)
  })
})
