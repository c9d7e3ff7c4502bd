import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { searchTextOf } from '../services/normalize.js'
import { createClient, crmTenant, get } from './helpers.js'

const names = (response: any) => response.body().data.map((row: any) => row.attributes.name)

test.group('CRM client search', () => {
  test('prefix, company, email, phone, typo; ranked; archived filter; bad parameters', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client, { defaultCountry: 'US' })
    await createClient(client, tenant, {
      kind: 'person',
      name: 'Johnathan Smith',
      companyName: 'Bluebird Logistics',
      emails: [{ email: 'john.smith@bluebird.example' }],
      phones: [{ number: '(415) 555-2671' }],
    })
    await createClient(client, tenant, {
      kind: 'person',
      name: 'Joanna Smythe',
      emails: [{ email: 'joanna@harbor.example' }],
      phones: [{ number: '+44 20 7946 0018' }],
    })
    await createClient(client, tenant, {
      kind: 'company',
      name: 'Harbor Freight Partners',
      emails: [{ email: 'info@hfp.example' }],
    })
    await createClient(client, tenant, { kind: 'person', name: 'Archie Old', status: 'archived' })

    // prefix of a first name, and of two words
    assert.deepEqual(names(await get(client, tenant, '/clients?search=john')), ['Johnathan Smith'])
    assert.deepEqual(names(await get(client, tenant, '/clients?search=jo%20smi')), [
      'Johnathan Smith',
    ])
    // company name
    assert.deepEqual(names(await get(client, tenant, '/clients?search=bluebird')), [
      'Johnathan Smith',
    ])
    // emails, whole and in part
    assert.deepEqual(names(await get(client, tenant, '/clients?search=joanna@harbor.example')), [
      'Joanna Smythe',
    ])
    assert.deepEqual(names(await get(client, tenant, '/clients?search=info@hf')), [
      'Harbor Freight Partners',
    ])
    // phones: E.164, national, with punctuation, a fragment
    assert.deepEqual(names(await get(client, tenant, '/clients?search=%2B14155552671')), [
      'Johnathan Smith',
    ])
    assert.deepEqual(names(await get(client, tenant, '/clients?search=415-555')), [
      'Johnathan Smith',
    ])
    assert.deepEqual(names(await get(client, tenant, '/clients?search=7946%200018')), [
      'Joanna Smythe',
    ])
    // typos: still found, the closest first
    const typo = names(await get(client, tenant, '/clients?search=smiht'))
    assert.equal(typo[0], 'Johnathan Smith')
    const typo2 = names(await get(client, tenant, '/clients?search=harbro%20freight'))
    assert.equal(typo2[0], 'Harbor Freight Partners')
    // ranked: the name match comes before the email-domain match
    const harbor = names(await get(client, tenant, '/clients?search=harbor'))
    assert.deepEqual(harbor.slice().sort(), ['Harbor Freight Partners', 'Joanna Smythe'])
    // archived clients are left out with filter[status]=active
    assert.deepEqual(names(await get(client, tenant, '/clients?search=archie')), ['Archie Old'])
    assert.deepEqual(
      names(await get(client, tenant, '/clients?search=archie&filter[status]=active')),
      []
    )
    // nothing matches
    assert.deepEqual(names(await get(client, tenant, '/clients?search=zzzzqqq')), [])

    const long = await get(client, tenant, `/clients?search=${'a'.repeat(201)}`)
    long.assertStatus(400)
    assert.equal(long.body().errors[0].source.parameter, 'search')
    const badFilter = await get(client, tenant, '/clients?search=jo&filter[status]=gone')
    badFilter.assertStatus(400)
    const badSort = await get(client, tenant, '/clients?search=jo&sort=name')
    badSort.assertStatus(400)
    const badPage = await get(client, tenant, '/clients?search=jo&page=0')
    badPage.assertStatus(400)
    // FTS syntax in the query is text, never an error
    for (const raw of ['"', 'a OR', 'NEAR(', '*', "'; drop table", '%_\\']) {
      const response = await get(client, tenant, `/clients?search=${encodeURIComponent(raw)}`)
      assert.equal(response.status(), 200, raw)
    }
    // ... also where an email-like query goes to PostgreSQL inlined (quotes, backslashes, "?")
    await createClient(client, tenant, {
      kind: 'person',
      name: 'Ryan Oneil',
      emails: [{ email: "o'neil@pub.example" }],
    })
    assert.deepEqual(names(await get(client, tenant, "/clients?search=o'neil%40pub")), [
      'Ryan Oneil',
    ])
    for (const raw of [
      'o?neil@pub.',
      'a\\b@c.d',
      '100%@x.ex',
      "x'); drop table crm_clients; --@y.z",
    ]) {
      const response = await get(client, tenant, `/clients?search=${encodeURIComponent(raw)}`)
      assert.equal(response.status(), 200, raw)
    }
    // the table is still there
    assert.deepEqual(names(await get(client, tenant, '/clients?search=ryan')), ['Ryan Oneil'])
    // a word of letters then digits, as in an address ("kowalski84"): found by its start
    await createClient(client, tenant, {
      kind: 'person',
      name: 'Anna Nowak',
      emails: [{ email: 'kowalski84@post.example' }],
    })
    assert.deepEqual(names(await get(client, tenant, '/clients?search=kowalski8')), ['Anna Nowak'])
    assert.deepEqual(names(await get(client, tenant, '/clients?search=anna%20kowalski84')), [
      'Anna Nowak',
    ])
  })

  test('ranked: name start, then a word of the name, then company, then email', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    // created in the reverse of the expected order, so newest-first ties would fail
    await createClient(client, tenant, {
      kind: 'person',
      name: 'Joanna Smythe',
      emails: [{ email: 'joanna@harbor.example' }],
    })
    await createClient(client, tenant, {
      kind: 'person',
      name: 'Peter Pan',
      companyName: 'Harborview Ltd',
    })
    await createClient(client, tenant, { kind: 'company', name: 'Old Harbor Cafe' })
    await createClient(client, tenant, { kind: 'company', name: 'Harbor Freight Partners' })
    assert.deepEqual(names(await get(client, tenant, '/clients?search=harbor')), [
      'Harbor Freight Partners',
      'Old Harbor Cafe',
      'Peter Pan',
      'Joanna Smythe',
    ])
  })

  test('typo tolerant: one edit of any kind, further off through trigrams, every word counts', async ({
    client,
    assert,
  }) => {
    const tenant = await crmTenant(client)
    const other = await crmTenant(client)
    await createClient(client, tenant, { kind: 'person', name: 'Serena Williams' })
    await createClient(client, tenant, { kind: 'person', name: 'William Shatner' })
    await createClient(client, tenant, { kind: 'person', name: 'Venus Garcia' })
    await createClient(client, other, { kind: 'person', name: 'Serena Williamson' })

    // a letter missing, one too many, one mistyped, two swapped: the closest first
    for (const typo of ['wiliams', 'willliams', 'wolliams', 'wlliams']) {
      const found = names(await get(client, tenant, `/clients?search=${typo}`))
      assert.equal(found[0], 'Serena Williams', typo)
      assert.notInclude(found, 'Venus Garcia', typo)
      assert.notInclude(found, 'Serena Williamson', typo)
    }
    // a typo in a word still being typed
    assert.include(names(await get(client, tenant, '/clients?search=wiliam')), 'William Shatner')
    assert.include(names(await get(client, tenant, '/clients?search=wiliams')), 'Serena Williams')
    // two words, one with a letter missing: only the client matching both
    assert.deepEqual(names(await get(client, tenant, '/clients?search=serena%20wiliams')), [
      'Serena Williams',
    ])
    // two edits away (four letters in a row shared), and every word must match
    assert.includeMembers(names(await get(client, tenant, '/clients?search=williamzz')), [
      'Serena Williams',
      'William Shatner',
    ])
    assert.deepEqual(names(await get(client, tenant, '/clients?search=williamzz%20serenq')), [
      'Serena Williams',
    ])
    assert.deepEqual(names(await get(client, tenant, '/clients?search=williams%20zzqxv')), [])
    // the other tenant's client is never a match
    assert.deepEqual(names(await get(client, other, '/clients?search=wiliamson')), [
      'Serena Williamson',
    ])
  })

  test("each result carries its own emails, phones and tags, in order; never another tenant's", async ({
    client,
    assert,
  }) => {
    const own = await crmTenant(client, { defaultCountry: 'US' })
    const other = await crmTenant(client, { defaultCountry: 'US' })
    const first = await createClient(client, own, {
      kind: 'person',
      name: 'Ottoline Morrell',
      emails: [{ email: 'o.second@garsington.example' }, { email: 'o.first@garsington.example' }],
      phones: [{ number: '(415) 555-0101' }, { number: '(415) 555-0102' }],
      tags: ['vip', 'bloomsbury'],
    })
    const second = await createClient(client, own, { kind: 'person', name: 'Otto Wagner' })
    await createClient(client, other, {
      kind: 'person',
      name: 'Ottavia Rossi',
      emails: [{ email: 'ottavia@rossi.example' }],
      tags: ['vip'],
    })

    const found = (await get(client, own, '/clients?search=otto')).body().data
    assert.sameMembers(
      found.map((row: any) => row.id),
      [first.id, second.id]
    )
    const withLists = found.find((row: any) => row.id === first.id).attributes
    assert.deepEqual(
      withLists.emails.map((email: any) => email.email),
      ['o.second@garsington.example', 'o.first@garsington.example']
    )
    assert.deepEqual(
      withLists.phones.map((phone: any) => phone.number),
      ['+14155550101', '+14155550102']
    )
    assert.deepEqual(withLists.tags, ['bloomsbury', 'vip'])
    // as the client shows on its own, less addresses and contacts (not listed in results)
    const shown = Object.entries(first.attributes).filter(
      ([key]) => key !== 'addresses' && key !== 'contacts'
    )
    assert.deepEqual(withLists, Object.fromEntries(shown))
    const bare = found.find((row: any) => row.id === second.id).attributes
    assert.deepEqual([bare.emails, bare.phones, bare.tags], [[], [], []])
    // the other tenant sees only its own client, with its own lists
    const theirs = (await get(client, other, '/clients?search=otto')).body().data
    assert.deepEqual(
      theirs.map((row: any) => [
        row.attributes.name,
        row.attributes.emails.length,
        row.attributes.tags,
      ]),
      [['Ottavia Rossi', 1, ['vip']]]
    )
  })

  test('search follows renames and erasure', async ({ client, assert }) => {
    const own = await crmTenant(client)
    const created = await createClient(client, own, { kind: 'person', name: 'Quentin Blake' })
    assert.deepEqual(names(await get(client, own, '/clients?search=quentin')), ['Quentin Blake'])
    await client
      .patch(`/api/v1/crm/clients/${created.id}`)
      .bearerToken(own.token)
      .json({ data: { attributes: { name: 'Roald Dahl' } } })
    assert.deepEqual(names(await get(client, own, '/clients?search=quentin')), [])
    assert.deepEqual(names(await get(client, own, '/clients?search=roald')), ['Roald Dahl'])
  })

  test("another tenant's many matches never crowd this tenant's out", async ({
    client,
    assert,
  }) => {
    const own = await crmTenant(client)
    const other = await crmTenant(client)
    const mine = await createClient(client, own, {
      kind: 'person',
      name: 'Otto Lilienthal',
      status: 'archived',
      emails: [{ email: 'otto@glider.example' }],
      phones: [{ number: '+49 30 1234567' }],
    })
    // then 1,200 newer matches of every kind in the other tenant: more than a search reads
    const now = new Date().toISOString().replace('T', ' ').slice(0, 19)
    const rows = Array.from({ length: 1200 }, (_, index) => {
      const name = `Otto Lilienthal ${index}`
      return {
        tenant_id: other.tenantId,
        kind: 'person',
        name,
        status: 'archived',
        custom_fields: '{}',
        search_text: searchTextOf({
          name,
          companyName: null,
          emails: [`otto${index}@glider.example`],
          phones: ['+49301234567'],
        }),
        created_at: now,
        updated_at: now,
      }
    })
    for (let offset = 0; offset < rows.length; offset += 200)
      await db.table('crm_clients').multiInsert(rows.slice(offset, offset + 200))

    const ids = async (search: string, filter = '') =>
      (await get(client, own, `/clients?search=${encodeURIComponent(search)}${filter}`))
        .body()
        .data.map((row: any) => row.id)
    for (const search of ['otto', 'lilienthal', 'otto lil', 'lilienthla', 'lilinthal']) {
      assert.deepEqual(await ids(search), [mine.id], search)
    }
    assert.deepEqual(await ids('glider.example'), [mine.id], 'email')
    assert.deepEqual(await ids('30 1234'), [mine.id], 'phone')
    assert.deepEqual(await ids('otto', '&filter[status]=archived'), [mine.id], 'archived')
    const theirs = await get(client, other, '/clients?search=otto')
    assert.equal(theirs.body().meta.total, 500)
    assert.notInclude(
      theirs.body().data.map((row: any) => row.id),
      mine.id
    )
  })
})
