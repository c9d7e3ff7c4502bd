import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import AuditLogEntry from '#models/audit_log_entry'
import { signup, unique, type SignedUp } from '#tests/helpers'

/*
 * The ledger staff pages (Inertia): props as the pages get them, permissions,
 * tenant isolation, the reversal and account forms (CSRF), and CSV exports
 * that answer exactly what the API answers.
 */
type Who = { user: User; tenantId: number }
type Line = { account: string; side: 'debit' | 'credit'; amount: string; currency?: string }

async function owner(client: ApiClient) {
  const signedUp = await signup(client)
  const who: Who = {
    user: await User.findOrFail(Number(signedUp.ownerId)),
    tenantId: Number(signedUp.tenantId),
  }
  return { ...signedUp, who }
}

/* A member of the tenant with a built-in role (manager: ledger.read only; worker: no ledger). */
async function member(client: ApiClient, tenant: SignedUp, role: string): Promise<Who> {
  const email = `${role}-${unique()}@example.test`
  ;(
    await client
      .post('/api/v1/members')
      .bearerToken(tenant.token)
      .json({ data: { attributes: { email, fullName: `A ${role}`, role } } })
  ).assertStatus(201)
  return { user: await User.findByOrFail('email', email), tenantId: Number(tenant.tenantId) }
}

function visit(client: ApiClient, path: string, who: Who) {
  return client.get(path).withInertia().loginAs(who.user).withSession({ tenantId: who.tenantId })
}

function submit(client: ApiClient, path: string, who: Who, body: Record<string, unknown> = {}) {
  return client
    .post(path)
    .withCsrfToken()
    .loginAs(who.user)
    .withSession({ tenantId: who.tenantId })
    .json(body)
    .redirects(0)
}

async function post(
  client: ApiClient,
  token: string,
  date: string,
  lines: Line[],
  extra: Record<string, unknown> = {}
) {
  const response = await client
    .post('/api/v1/ledger/entries')
    .bearerToken(token)
    .json({
      data: {
        attributes: { date, currency: 'EUR', idempotencyKey: `k-${unique()}`, lines, ...extra },
      },
    })
  response.assertStatus(201)
  return Number(response.body().data.id)
}

const pair = (debit: string, credit: string, amount: string, currency?: string): Line[] => [
  { account: debit, side: 'debit', amount, ...(currency ? { currency } : {}) },
  { account: credit, side: 'credit', amount, ...(currency ? { currency } : {}) },
]

const flashedErrors = (response: { flashMessages(): Record<string, any> }) =>
  (response.flashMessages().errorsBag ?? {}) as Record<string, string>

test.group('Ledger pages', () => {
  test('chart of accounts: tree order, balances per currency, nav section', async ({
    client,
    assert,
  }) => {
    const books = await owner(client)
    await post(client, books.token, '2026-03-01', pair('1100', '4000', '12345'))
    await post(client, books.token, '2026-03-02', pair('1100', '4000', '500', 'JPY'), {
      currency: 'JPY',
    })

    const page = await visit(client, '/app/ledger/accounts', books.who)
    page.assertStatus(200)
    page.assertInertiaComponent('ledger/accounts')
    const accounts = page.inertiaProps.accounts as any[]
    const codes = accounts.map((account) => account.code)
    // each parent right before its children
    assert.deepEqual(codes.slice(0, 3), ['1000', '1010', '1020'])
    assert.deepEqual(
      accounts.slice(0, 3).map((account) => account.depth),
      [0, 1, 1]
    )
    assert.isBelow(codes.indexOf('6000'), codes.indexOf('6100'))
    const receivable = accounts.find((account) => account.code === '1100')
    assert.deepEqual(receivable.balances, [
      { currency: 'EUR', amount: '12345' },
      { currency: 'JPY', amount: '500' },
    ])
    const sales = accounts.find((account) => account.code === '4000')
    assert.equal(sales.type, 'revenue')
    assert.equal(sales.normalSide, 'credit')
    assert.isTrue(sales.isActive)
    assert.deepInclude(sales.balances, { currency: 'EUR', amount: '-12345' })
    assert.isTrue(page.inertiaProps.canWrite)

    const nav = page.inertiaProps.shell.nav as { label: string; href: string; section?: string }[]
    assert.deepEqual(
      nav.filter((item) => item.section === 'Ledger').map((item) => item.href),
      [
        '/app/ledger/accounts',
        '/app/ledger/entries',
        '/app/ledger/reports/trial-balance',
        '/app/ledger/reports/profit-and-loss',
        '/app/ledger/reports/balance-sheet',
      ]
    )
  })

  test('without ledger.read every page is a 403 and the nav has no Ledger; ledger.read alone cannot write', async ({
    client,
    assert,
  }) => {
    const books = await owner(client)
    const entryId = await post(client, books.token, '2026-03-01', pair('1100', '4000', '100'))
    const worker = await member(client, books, 'worker')
    for (const path of [
      '/app/ledger/accounts',
      '/app/ledger/entries',
      `/app/ledger/entries/${entryId}`,
      '/app/ledger/reports/trial-balance',
      '/app/ledger/reports/profit-and-loss',
      '/app/ledger/reports/balance-sheet?format=csv',
    ]) {
      const refused = await visit(client, path, worker)
      refused.assertStatus(403)
      assert.equal(refused.body().component, 'errors/forbidden', path)
    }
    const home = await visit(client, '/app', worker)
    assert.notInclude(
      home.inertiaProps.shell.nav.map((item: { label: string }) => item.label),
      'Journal'
    )

    const manager = await member(client, books, 'manager')
    const accounts = await visit(client, '/app/ledger/accounts', manager)
    accounts.assertStatus(200)
    assert.isFalse(accounts.inertiaProps.canWrite)
    const entry = await visit(client, `/app/ledger/entries/${entryId}`, manager)
    assert.isFalse(entry.inertiaProps.canReverse)
    const reverse = await submit(client, `/app/ledger/entries/${entryId}/reverse`, manager)
    reverse.assertStatus(403)
    const create = await submit(client, '/app/ledger/accounts', manager, {
      code: '1999',
      name: 'Not allowed',
      type: 'asset',
    })
    create.assertStatus(403)
    const reversals = await db.from('ledger_entries').where('reverses_entry_id', entryId)
    assert.lengthOf(reversals, 0)
    const created = await db
      .from('ledger_accounts')
      .where('tenant_id', books.who.tenantId)
      .where('code', '1999')
    assert.lengthOf(created, 0)
  })

  test('journal: filters by account, dates and source, pages; a bad date goes back with the message', async ({
    client,
    assert,
  }) => {
    const books = await owner(client)
    const rent = await post(client, books.token, '2026-01-31', pair('6100', '1020', '90000'), {
      memo: 'January rent',
    })
    const sale = await post(client, books.token, '2026-02-10', pair('1100', '4000', '25000'), {
      reference: 'INV-7',
    })
    const later = await post(client, books.token, '2026-03-05', pair('1020', '1100', '25000'))

    const all = await visit(client, '/app/ledger/entries', books.who)
    all.assertInertiaComponent('ledger/journal')
    assert.deepEqual(
      all.inertiaProps.entries.map((entry: any) => entry.id),
      [later, sale, rent]
    )
    const first = all.inertiaProps.entries.find((entry: any) => entry.id === rent)
    assert.deepEqual(first.totals, [{ currency: 'EUR', amount: '90000' }])
    assert.deepEqual(first.accountCodes, ['6100', '1020'])
    assert.equal(first.memo, 'January rent')
    assert.include(all.inertiaProps.sources, 'kernel')
    assert.equal(all.inertiaProps.pagination.total, 3)

    const rentAccount = all.inertiaProps.accounts.find((account: any) => account.code === '6100')
    const byAccount = await visit(
      client,
      `/app/ledger/entries?filter[account]=${rentAccount.id}`,
      books.who
    )
    assert.deepEqual(
      byAccount.inertiaProps.entries.map((entry: any) => entry.id),
      [rent]
    )
    assert.equal(byAccount.inertiaProps.filters.account, String(rentAccount.id))

    const byDates = await visit(
      client,
      '/app/ledger/entries?filter[from]=2026-02-01&filter[to]=2026-02-28&filter[source]=kernel',
      books.who
    )
    assert.deepEqual(
      byDates.inertiaProps.entries.map((entry: any) => entry.id),
      [sale]
    )
    assert.deepEqual(byDates.inertiaProps.filters, {
      account: '',
      from: '2026-02-01',
      to: '2026-02-28',
      source: 'kernel',
    })
    const noSource = await visit(client, '/app/ledger/entries?filter[source]=crm', books.who)
    assert.lengthOf(noSource.inertiaProps.entries, 0)

    const second = await visit(client, '/app/ledger/entries?limit=2&page=2', books.who)
    assert.deepEqual(second.inertiaProps.pagination, { page: 2, limit: 2, total: 3, totalPages: 2 })
    assert.deepEqual(
      second.inertiaProps.entries.map((entry: any) => entry.id),
      [rent]
    )

    const bad = await visit(
      client,
      '/app/ledger/entries?filter[from]=2026-02-30',
      books.who
    ).redirects(0)
    bad.assertStatus(302)
    bad.assertHeader('location', '/app/ledger/entries')
    assert.include(flashedErrors(bad).query, 'filter[from]')
  })

  test('entry page: lines with account names and the source; another tenant gets a 404', async ({
    client,
    assert,
  }) => {
    const books = await owner(client)
    const other = await owner(client)
    const entryId = await post(
      client,
      books.token,
      '2026-04-01',
      pair('1100', '4100', '9007199254740993'),
      {
        memo: 'Big job',
        reference: 'JOB-1',
      }
    )
    const page = await visit(client, `/app/ledger/entries/${entryId}`, books.who)
    page.assertStatus(200)
    page.assertInertiaComponent('ledger/entry')
    const entry = page.inertiaProps.entry
    assert.equal(entry.memo, 'Big job')
    assert.equal(entry.sourcePlugin, 'kernel')
    assert.equal(entry.sourceReference, 'JOB-1')
    assert.isNull(entry.reversedByEntryId)
    assert.deepEqual(
      entry.lines.map((line: any) => [line.accountCode, line.accountName, line.side, line.amount]),
      [
        ['1100', 'Accounts receivable', 'debit', '9007199254740993'],
        ['4100', 'Service revenue', 'credit', '9007199254740993'],
      ]
    )
    assert.isTrue(page.inertiaProps.canReverse)

    const hidden = await visit(client, `/app/ledger/entries/${entryId}`, other.who)
    hidden.assertStatus(404)
    assert.equal(hidden.body().component, 'errors/not_found')
    const theirs = await submit(client, `/app/ledger/entries/${entryId}/reverse`, other.who)
    theirs.assertStatus(404)
    assert.lengthOf(await db.from('ledger_entries').where('reverses_entry_id', entryId), 0)
    ;(await visit(client, '/app/ledger/entries/abc', books.who)).assertStatus(404)
  })

  test('reverse from the page: CSRF required, the reversal is posted once and audited', async ({
    client,
    assert,
  }) => {
    const books = await owner(client)
    const entryId = await post(client, books.token, '2026-05-02', pair('1100', '4000', '4200'), {
      memo: 'Sale',
    })
    const path = `/app/ledger/entries/${entryId}/reverse`

    const forged = await client
      .post(path)
      .loginAs(books.who.user)
      .withSession({ tenantId: books.who.tenantId })
      .json({ date: '2026-05-20' })
      .redirects(0)
    forged.assertStatus(302)
    assert.property(flashedErrors(forged), 'E_BAD_CSRF_TOKEN')
    assert.lengthOf(await db.from('ledger_entries').where('reverses_entry_id', entryId), 0)

    const badDate = await submit(client, path, books.who, { date: '2026-13-01' })
    badDate.assertStatus(302)
    assert.include(flashedErrors(badDate).reverse, 'date')
    assert.lengthOf(await db.from('ledger_entries').where('reverses_entry_id', entryId), 0)

    const reversed = await submit(client, path, books.who, {
      date: '2026-05-20',
      memo: 'Customer returned it',
    })
    reversed.assertStatus(302)
    const [reversal] = await db.from('ledger_entries').where('reverses_entry_id', entryId)
    assert.exists(reversal)
    reversed.assertHeader('location', `/app/ledger/entries/${reversal.id}`)
    assert.equal(reversal.entry_date, '2026-05-20')
    assert.equal(reversal.memo, 'Customer returned it')
    assert.equal(Number(reversal.tenant_id), books.who.tenantId)

    const audited = await AuditLogEntry.query()
      .where('action', 'ledger.entry.reversed')
      .where('subject_id', String(reversal.id))
    assert.lengthOf(audited, 1)
    assert.equal(audited[0].actorUserId, books.who.user.id)
    assert.equal(audited[0].tenantId, books.who.tenantId)
    assert.equal((audited[0].meta as any).reverses, entryId)

    const page = await visit(client, `/app/ledger/entries/${reversal.id}`, books.who)
    assert.equal(page.inertiaProps.entry.reversesEntryId, entryId)
    assert.isFalse(page.inertiaProps.canReverse)
    assert.deepEqual(
      page.inertiaProps.entry.lines.map((line: any) => [line.accountCode, line.side]),
      [
        ['1100', 'credit'],
        ['4000', 'debit'],
      ]
    )
    const original = await visit(client, `/app/ledger/entries/${entryId}`, books.who)
    assert.equal(original.inertiaProps.entry.reversedByEntryId, Number(reversal.id))
    assert.isFalse(original.inertiaProps.canReverse)

    // a second submit (double click) replays the first reversal
    const again = await submit(client, path, books.who, { date: '2026-05-21' })
    again.assertHeader('location', `/app/ledger/entries/${reversal.id}`)
    assert.equal(
      again.flashMessage('notice'),
      `Entry ${entryId} was already reversed by entry ${reversal.id}.`
    )
    assert.lengthOf(await db.from('ledger_entries').where('reverses_entry_id', entryId), 1)
  })

  test('a locked month refuses the reversal; only ledger.periods.override may tick the override (audited)', async ({
    client,
    assert,
  }) => {
    const books = await owner(client)
    const admin = await member(client, books, 'admin')
    const entryId = await post(client, books.token, '2026-06-02', pair('1100', '4000', '700'))
    ;(
      await client.post('/api/v1/ledger/periods/2026-06/lock').bearerToken(books.token)
    ).assertStatus(200)
    const path = `/app/ledger/entries/${entryId}/reverse`
    const reversals = () => db.from('ledger_entries').where('reverses_entry_id', entryId)

    // admin: ledger.post without the override permission
    const adminPage = await visit(client, `/app/ledger/entries/${entryId}`, admin)
    assert.isTrue(adminPage.inertiaProps.canReverse)
    assert.isFalse(adminPage.inertiaProps.canOverrideLock)
    const refused = await submit(client, path, admin, { date: '2026-06-30', overrideLock: true })
    refused.assertHeader('location', `/app/ledger/entries/${entryId}`)
    assert.include(flashedErrors(refused).reverse, 'The period 2026-06 is locked')
    assert.lengthOf(await reversals(), 0)

    const ownerPage = await visit(client, `/app/ledger/entries/${entryId}`, books.who)
    assert.isTrue(ownerPage.inertiaProps.canOverrideLock)
    const unticked = await submit(client, path, books.who, { date: '2026-06-30' })
    assert.include(flashedErrors(unticked).reverse, 'locked')
    assert.lengthOf(await reversals(), 0)

    const overridden = await submit(client, path, books.who, {
      date: '2026-06-30',
      overrideLock: true,
    })
    overridden.assertStatus(302)
    const [reversal] = await reversals()
    assert.exists(reversal)
    assert.isTrue(Boolean(reversal.lock_overridden))
    const audited = await AuditLogEntry.query()
      .where('action', 'ledger.period.override')
      .where('subject_id', String(reversal.id))
    assert.lengthOf(audited, 1)
    assert.equal(audited[0].actorUserId, books.who.user.id)
  })

  test('reports: trial balance, profit and loss by month, balance sheet; CSV is the API answer', async ({
    client,
    assert,
  }) => {
    const books = await owner(client)
    await post(client, books.token, '2026-01-15', pair('1020', '3000', '1000000'))
    await post(client, books.token, '2026-01-20', pair('1100', '4000', '30000'))
    await post(client, books.token, '2026-02-03', pair('6100', '1020', '12000'))
    await post(client, books.token, '2026-02-10', pair('1100', '4100', '5000'))
    await post(client, books.token, '2026-02-11', pair('1020', '4000', '700', 'JPY'), {
      currency: 'JPY',
    })

    const trial = await visit(client, '/app/ledger/reports/trial-balance?to=2026-02-28', books.who)
    trial.assertInertiaComponent('ledger/trial_balance')
    assert.equal(trial.inertiaProps.to, '2026-02-28')
    assert.deepEqual(trial.inertiaProps.totals, {
      EUR: { debit: '1035000', credit: '1035000' },
      JPY: { debit: '700', credit: '700' },
    })
    const bank = trial.inertiaProps.rows.find(
      (row: any) => row.code === '1020' && row.currency === 'EUR'
    )
    assert.deepInclude(bank, { debit: '988000', credit: '0', type: 'asset' })
    assert.equal(
      trial.inertiaProps.csvUrl,
      '/app/ledger/reports/trial-balance?to=2026-02-28&format=csv'
    )

    const csv = await client
      .get(trial.inertiaProps.csvUrl)
      .loginAs(books.who.user)
      .withSession({ tenantId: books.who.tenantId })
    csv.assertStatus(200)
    assert.match(csv.header('content-type') ?? '', /^text\/csv/)
    const api = await client
      .get('/api/v1/ledger/reports/trial-balance?to=2026-02-28&format=csv')
      .bearerToken(books.token)
    assert.equal(csv.text(), api.text())
    const lines = csv.text().trim().split('\r\n')
    assert.equal(lines[0], '"currency","code","account","type","debit","credit"')
    assert.include(lines, '"EUR","1020","Bank account","asset","9880.00",""')
    assert.include(lines, '"JPY","","Total","","700","700"')

    const pl = await visit(
      client,
      '/app/ledger/reports/profit-and-loss?from=2026-01-01&to=2026-02-28',
      books.who
    )
    pl.assertInertiaComponent('ledger/profit_and_loss')
    assert.deepEqual(pl.inertiaProps.totals.EUR, {
      revenue: '35000',
      expense: '12000',
      netIncome: '23000',
    })
    assert.deepEqual(pl.inertiaProps.months.EUR, [
      { month: '2026-01', revenue: '30000', expense: '0', netIncome: '30000' },
      { month: '2026-02', revenue: '5000', expense: '12000', netIncome: '-7000' },
    ])
    assert.deepEqual(pl.inertiaProps.months.JPY, [
      { month: '2026-02', revenue: '700', expense: '0', netIncome: '700' },
    ])
    const plCsv = await client
      .get(pl.inertiaProps.csvUrl)
      .loginAs(books.who.user)
      .withSession({ tenantId: books.who.tenantId })
    assert.match(plCsv.header('content-type') ?? '', /^text\/csv/)
    assert.include(plCsv.text(), '"EUR","total","","Net income","230.00"')

    const januaryOnly = await visit(
      client,
      '/app/ledger/reports/profit-and-loss?from=2026-01-01&to=2026-01-31',
      books.who
    )
    assert.equal(januaryOnly.inertiaProps.totals.EUR.netIncome, '30000')
    assert.notProperty(januaryOnly.inertiaProps.totals, 'JPY')

    const sheet = await visit(client, '/app/ledger/reports/balance-sheet?to=2026-02-28', books.who)
    sheet.assertInertiaComponent('ledger/balance_sheet')
    assert.deepEqual(sheet.inertiaProps.totals.EUR, {
      assets: '1023000',
      liabilities: '0',
      equity: '1023000',
    })
    assert.deepEqual(sheet.inertiaProps.currentEarnings, { EUR: '23000', JPY: '700' })
    assert.deepEqual(sheet.inertiaProps.balanced, { EUR: true, JPY: true })
    assert.equal(
      sheet.inertiaProps.csvUrl,
      '/app/ledger/reports/balance-sheet?to=2026-02-28&format=csv'
    )

    const inverted = await visit(
      client,
      '/app/ledger/reports/trial-balance?from=2026-03-01&to=2026-01-01',
      books.who
    ).redirects(0)
    inverted.assertHeader('location', '/app/ledger/reports/trial-balance')
    assert.include(flashedErrors(inverted).query, '"from" must not be after "to"')

    // another tenant's books stay out of every report
    const other = await owner(client)
    const empty = await visit(client, '/app/ledger/reports/trial-balance', other.who)
    assert.deepEqual(empty.inertiaProps.rows, [])
    assert.deepEqual(empty.inertiaProps.totals, {})
  })

  test('account statement: running balance, opening balance, CSV like the API', async ({
    client,
    assert,
  }) => {
    const books = await owner(client)
    const other = await owner(client)
    await post(client, books.token, '2026-01-05', pair('1020', '3000', '10000'))
    await post(client, books.token, '2026-02-05', pair('6100', '1020', '2500'))
    await post(client, books.token, '2026-03-05', pair('6300', '1020', '1000'))
    const chart = await visit(client, '/app/ledger/accounts', books.who)
    const bank = chart.inertiaProps.accounts.find((account: any) => account.code === '1020')

    const page = await visit(client, `/app/ledger/accounts/${bank.id}?from=2026-02-01`, books.who)
    page.assertInertiaComponent('ledger/statement')
    assert.equal(page.inertiaProps.account.code, '1020')
    assert.deepEqual(page.inertiaProps.account.balances, [{ currency: 'EUR', amount: '6500' }])
    assert.deepEqual(page.inertiaProps.opening, [{ currency: 'EUR', amount: '10000' }])
    assert.deepEqual(
      page.inertiaProps.lines.map((line: any) => [line.date, line.side, line.amount, line.balance]),
      [
        ['2026-02-05', 'credit', '2500', '7500'],
        ['2026-03-05', 'credit', '1000', '6500'],
      ]
    )
    const csv = await client
      .get(page.inertiaProps.csvUrl)
      .loginAs(books.who.user)
      .withSession({ tenantId: books.who.tenantId })
    const api = await client
      .get(`/api/v1/ledger/accounts/${bank.id}/statement?from=2026-02-01&format=csv`)
      .bearerToken(books.token)
    assert.match(csv.header('content-type') ?? '', /^text\/csv/)
    assert.equal(csv.text(), api.text())

    ;(await visit(client, `/app/ledger/accounts/${bank.id}`, other.who)).assertStatus(404)
  })

  test('account forms: create, rename and move, deactivate; refusals come back on the field', async ({
    client,
    assert,
  }) => {
    const books = await owner(client)
    const created = await submit(client, '/app/ledger/accounts', books.who, {
      code: '1030',
      name: 'Savings',
      type: 'asset',
      currency: 'eur',
    })
    created.assertStatus(302)
    created.assertHeader('location', '/app/ledger/accounts')
    const page = await visit(client, '/app/ledger/accounts', books.who)
    const savings = page.inertiaProps.accounts.find((account: any) => account.code === '1030')
    assert.deepInclude(savings, { name: 'Savings', currency: 'EUR', type: 'asset', isActive: true })
    const cash = page.inertiaProps.accounts.find((account: any) => account.code === '1000')
    const audit = await AuditLogEntry.query()
      .where('action', 'ledger.account.created')
      .where('subject_id', String(savings.id))
    assert.equal(audit[0].actorUserId, books.who.user.id)

    const taken = await submit(client, '/app/ledger/accounts', books.who, {
      code: '1030',
      name: 'Again',
      type: 'asset',
    })
    assert.include(flashedErrors(taken).code, 'code "1030" exists')
    const invalid = await submit(client, '/app/ledger/accounts', books.who, {
      code: '',
      name: 'No code',
      type: 'cash',
    })
    invalid.assertStatus(302)
    invalid.assertHasValidationError('code')
    invalid.assertHasValidationError('type')
    const wrongParent = await submit(client, '/app/ledger/accounts', books.who, {
      code: '4200',
      name: 'Grants',
      type: 'revenue',
      parentId: cash.id,
    })
    assert.include(flashedErrors(wrongParent).parentId, 'The parent account is asset')
    const count = await db
      .from('ledger_accounts')
      .where('tenant_id', books.who.tenantId)
      .whereIn('code', ['4200'])
    assert.lengthOf(count, 0)

    const moved = await submit(client, `/app/ledger/accounts/${savings.id}`, books.who, {
      name: 'Savings account',
      parentId: cash.id,
    })
    moved.assertHeader('location', '/app/ledger/accounts')
    const deactivated = await submit(client, `/app/ledger/accounts/${savings.id}`, books.who, {
      isActive: false,
    })
    deactivated.assertStatus(302)
    const after = await visit(client, '/app/ledger/accounts', books.who)
    const row = after.inertiaProps.accounts.find((account: any) => account.code === '1030')
    assert.deepInclude(row, {
      name: 'Savings account',
      parentId: cash.id,
      depth: 1,
      isActive: false,
    })

    const retained = after.inertiaProps.accounts.find(
      (account: any) => account.role === 'retained_earnings'
    )
    const refused = await submit(client, `/app/ledger/accounts/${retained.id}`, books.who, {
      isActive: false,
    })
    assert.include(flashedErrors(refused).form, 'cannot be deactivated')

    const other = await owner(client)
    ;(
      await submit(client, `/app/ledger/accounts/${savings.id}`, other.who, { name: 'Mine now' })
    ).assertStatus(404)
  })
})
