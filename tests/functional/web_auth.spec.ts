import { test } from '@japa/runner'
import type { ApiClient, ApiResponse } from '@japa/api-client'
import User from '#models/user'
import AuditLogEntry from '#models/audit_log_entry'
import { twoFactor } from '#auth/two_factor'
import { addTenant, signup, PASSWORD, unique } from '#tests/helpers'

/* The flashed validation errors of a redirected form post, by field. */
const errorsOf = (response: { flashMessages(): Record<string, any> }) =>
  response.flashMessages().errorsBag as Record<string, string>

/* The session values a response leaves behind, to carry into the next request. */
const sessionOf = (response: ApiResponse) => response.sessionBag.values

async function loginWeb(client: ApiClient, fields: Record<string, string>) {
  return client.post('/login').withCsrfToken().json(fields).redirects(0)
}

async function enrollTwoFactor(client: ApiClient, token: string) {
  const enrollment = await client.post('/api/v1/auth/two-factor/enroll').bearerToken(token)
  const secret = enrollment.body().data.attributes.secret as string
  const confirm = await client
    .post('/api/v1/auth/two-factor/confirm')
    .bearerToken(token)
    .json({ data: { attributes: { code: twoFactor.currentCode(secret) } } })
  if (confirm.status() !== 200) throw new Error(`2FA confirm failed: ${confirm.text()}`)
  return { secret, recoveryCodes: confirm.body().data.attributes.recoveryCodes as string[] }
}

test.group('Web session: login and logout', () => {
  test('the login page is the Inertia login component', async ({ client, assert }) => {
    const html = await client.get('/login')
    html.assertStatus(200)
    assert.include(html.text(), 'data-page=')
    assert.include(html.text(), 'auth/login')
    // the layout loads nothing from other hosts
    assert.notMatch(html.text(), /(src|href)="https?:\/\//)

    const inertia = await client.get('/login').withInertia()
    inertia.assertInertiaComponent('auth/login')
    assert.isNull(inertia.inertiaProps.shell)
  })

  test('a login without the CSRF token is refused and signs nobody in', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)

    const refused = await client
      .post('/login')
      .json({ email: owner.email, password: PASSWORD })
      .redirects(0)
    refused.assertStatus(302)
    assert.notEqual(refused.header('location'), '/app')
    assert.isUndefined(refused.session('auth_web'))
    assert.isUndefined(refused.session('tenantId'))
    assert.property(refused.flashMessages().errorsBag, 'E_BAD_CSRF_TOKEN')
    const succeeded = await AuditLogEntry.query()
      .where('actor_user_id', owner.ownerId)
      .where('action', 'auth.login.succeeded')
    assert.lengthOf(succeeded, 0)

    const accepted = await loginWeb(client, { email: owner.email, password: PASSWORD })
    accepted.assertStatus(302)
    accepted.assertHeader('location', '/app')
    assert.equal(accepted.session('auth_web'), Number(owner.ownerId))
    assert.equal(accepted.session('tenantId'), Number(owner.tenantId))
    const audited = await AuditLogEntry.query()
      .where('actor_user_id', owner.ownerId)
      .where('action', 'auth.login.succeeded')
    assert.deepEqual(
      audited.map((entry) => entry.meta),
      [{ via: 'web' }]
    )
  })

  test('a wrong password goes back to the form with an error', async ({ client, assert }) => {
    const owner = await signup(client)
    const response = await loginWeb(client, { email: owner.email, password: 'not the password' })
    response.assertStatus(302)
    response.assertHeader('location', '/login')
    assert.isUndefined(response.session('auth_web'))
    assert.equal(errorsOf(response).form, 'The email or password is wrong')
  })

  test('bad input is a validation error on the form, never a 500', async ({ client, assert }) => {
    const response = await loginWeb(client, {
      email: "'; drop table users; --",
      password: '<script>alert(1)</script>',
      tenant: '../../x',
    })
    response.assertStatus(302)
    assert.isUndefined(response.session('auth_web'))
    response.assertHasValidationError('email')
    response.assertHasValidationError('tenant')
  })

  test('the tenant slug picks the session tenant; a tenant the user is not in is refused', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const second = await addTenant(client, owner.token)
    const stranger = await signup(client)

    const chosen = await loginWeb(client, {
      email: owner.email,
      password: PASSWORD,
      tenant: second.slug,
    })
    assert.equal(chosen.session('tenantId'), second.id)

    for (const slug of [stranger.slug, `no-such-${unique()}`]) {
      const refused = await loginWeb(client, {
        email: owner.email,
        password: PASSWORD,
        tenant: slug,
      })
      refused.assertHeader('location', '/login')
      assert.isUndefined(refused.session('auth_web'))
      assert.equal(errorsOf(refused).tenant, `No organization "${slug}" for this account.`)
    }
  })

  test('with two-factor on, the password alone asks for a code and signs nobody in', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const { secret, recoveryCodes } = await enrollTwoFactor(client, owner.token)

    const step = await loginWeb(client, { email: owner.email, password: PASSWORD })
    step.assertHeader('location', '/login')
    assert.isUndefined(step.session('auth_web'))
    assert.isTrue(step.flashMessage('twoFactor'))

    const page = await client.get('/login').withInertia().withFlashMessages({ twoFactor: true })
    page.assertInertiaPropsContains({ twoFactor: true })

    const wrong = await loginWeb(client, { email: owner.email, password: PASSWORD, otp: '000000' })
    assert.isUndefined(wrong.session('auth_web'))
    assert.equal(errorsOf(wrong).otp, 'That code is wrong or expired.')

    const right = await loginWeb(client, {
      email: owner.email,
      password: PASSWORD,
      otp: twoFactor.currentCode(secret),
    })
    right.assertHeader('location', '/app')
    assert.equal(right.session('auth_web'), Number(owner.ownerId))

    // a recovery code works once
    const recovery = await loginWeb(client, {
      email: owner.email,
      password: PASSWORD,
      otp: recoveryCodes[0],
    })
    assert.equal(recovery.session('auth_web'), Number(owner.ownerId))
    const again = await loginWeb(client, {
      email: owner.email,
      password: PASSWORD,
      otp: recoveryCodes[0],
    })
    assert.isUndefined(again.session('auth_web'))
  })

  test('guests are sent to the login page', async ({ client }) => {
    for (const path of ['/app', '/app/members', '/app/security']) {
      const response = await client.get(path).redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/login')
    }
  })

  test('logout clears the session', async ({ client, assert }) => {
    const owner = await signup(client)
    const login = await loginWeb(client, { email: owner.email, password: PASSWORD })

    const logout = await client
      .post('/logout')
      .withSession(sessionOf(login))
      .withCsrfToken()
      .redirects(0)
    logout.assertStatus(302)
    logout.assertHeader('location', '/login')
    assert.isUndefined(logout.session('auth_web'))
    assert.isUndefined(logout.session('tenantId'))
    const audited = await AuditLogEntry.query()
      .where('actor_user_id', owner.ownerId)
      .where('action', 'auth.logout')
    assert.lengthOf(audited, 1)

    // what the browser keeps after logout opens nothing
    const after = await client.get('/app').withSession(sessionOf(logout)).redirects(0)
    after.assertHeader('location', '/login')
  })

  test('logout without the CSRF token does not sign out', async ({ client, assert }) => {
    const owner = await signup(client)
    const login = await loginWeb(client, { email: owner.email, password: PASSWORD })
    const refused = await client.post('/logout').withSession(sessionOf(login)).redirects(0)
    refused.assertStatus(302)
    assert.equal(refused.session('auth_web'), Number(owner.ownerId))
  })
})

test.group('Web session: tenants, navigation, pages', () => {
  test('the shell lists the user tenants and a navigation built from permissions', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const second = await addTenant(client, owner.token)
    const ownerUser = await User.findOrFail(Number(owner.ownerId))

    const page = await client
      .get('/app')
      .withInertia()
      .loginAs(ownerUser)
      .withSession({ tenantId: Number(owner.tenantId) })
    page.assertInertiaComponent('dashboard')
    const shell = page.inertiaProps.shell
    assert.equal(shell.tenant.id, Number(owner.tenantId))
    assert.equal(shell.role.key, 'owner')
    assert.sameMembers(
      shell.tenants.map((tenant: { id: number }) => tenant.id),
      [Number(owner.tenantId), second.id]
    )
    assert.deepEqual(
      shell.nav.map((item: { label: string }) => item.label),
      [
        'Dashboard',
        'Members',
        'Roles',
        'Audit log',
        'Accounts',
        'Journal',
        'Trial balance',
        'Profit and loss',
        'Balance sheet',
        'Plugins',
        'Security',
      ]
    )
    assert.deepEqual(page.inertiaProps.counts, {
      members: 1,
      roles: 6,
      auditEntries: page.inertiaProps.counts.auditEntries,
    })
    assert.isAbove(page.inertiaProps.counts.auditEntries, 0)

    // a worker sees only what a worker may open, and the server refuses the rest
    const email = `worker-${unique()}@example.test`
    const added = await client
      .post('/api/v1/members')
      .bearerToken(owner.token)
      .json({ data: { attributes: { email, fullName: 'Wanda Worker', role: 'worker' } } })
    added.assertStatus(201)
    const worker = await User.findByOrFail('email', email)
    const workerPage = await client.get('/app').withInertia().loginAs(worker)
    assert.deepEqual(
      workerPage.inertiaProps.shell.nav.map((item: { label: string }) => item.label),
      ['Dashboard', 'Security']
    )
    assert.isNull(workerPage.inertiaProps.counts.auditEntries)
    for (const path of ['/app/members', '/app/roles', '/app/audit-log']) {
      const refused = await client.get(path).withInertia().loginAs(worker).redirects(0)
      refused.assertStatus(403)
      assert.equal(refused.body().component, 'errors/forbidden')
    }
    const missing = await client.get('/app/no-such-page').withInertia().loginAs(worker)
    missing.assertStatus(404)
    assert.equal(missing.body().component, 'errors/not_found')
  })

  test('switching to an own tenant works; a foreign or unknown tenant is refused', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const second = await addTenant(client, owner.token)
    const stranger = await signup(client)
    const ownerUser = await User.findOrFail(Number(owner.ownerId))
    const start = { tenantId: Number(owner.tenantId) }

    const switched = await client
      .post('/tenants/switch')
      .loginAs(ownerUser)
      .withSession(start)
      .withCsrfToken()
      .json({ tenantId: second.id })
      .redirects(0)
    switched.assertHeader('location', '/app')
    assert.equal(switched.session('tenantId'), second.id)
    assert.equal(switched.flashMessage('notice'), `You are now working in ${second.name}.`)
    const there = await client.get('/app').withInertia().withSession(sessionOf(switched))
    assert.equal(there.inertiaProps.shell.tenant.name, second.name)
    const entry = await AuditLogEntry.query()
      .where('action', 'auth.tenant.switched')
      .where('tenantId', second.id)
      .firstOrFail()
    assert.equal(entry.actorUserId, ownerUser.id)
    assert.deepEqual(entry.meta, { fromTenantId: Number(owner.tenantId) })

    for (const tenantId of [Number(stranger.tenantId), 999999]) {
      const refused = await client
        .post('/tenants/switch')
        .loginAs(ownerUser)
        .withSession(start)
        .withCsrfToken()
        .json({ tenantId })
        .redirects(0)
      refused.assertStatus(302)
      assert.equal(refused.session('tenantId'), Number(owner.tenantId))
      assert.equal(errorsOf(refused).tenant, 'You are not a member of that organization.')
    }

    const noToken = await client
      .post('/tenants/switch')
      .loginAs(ownerUser)
      .withSession(start)
      .json({ tenantId: second.id })
      .redirects(0)
    assert.equal(noToken.session('tenantId'), Number(owner.tenantId))

    const junk = await client
      .post('/tenants/switch')
      .loginAs(ownerUser)
      .withSession(start)
      .withCsrfToken()
      .json({ tenantId: '1 or 1=1' })
      .redirects(0)
    junk.assertStatus(302)
    junk.assertHasValidationError('tenantId')
    assert.equal(junk.session('tenantId'), Number(owner.tenantId))
  })

  test('lists show only the session tenant rows', async ({ client, assert }) => {
    const a = await signup(client)
    const b = await signup(client)
    const userA = await User.findOrFail(Number(a.ownerId))

    const members = await client
      .get('/app/members')
      .withInertia()
      .loginAs(userA)
      .withSession({ tenantId: Number(a.tenantId) })
    members.assertInertiaComponent('members')
    assert.deepEqual(
      members.inertiaProps.members.map((member: { email: string }) => member.email),
      [a.email]
    )

    const audit = await client
      .get('/app/audit-log')
      .withInertia()
      .loginAs(userA)
      .withSession({ tenantId: Number(a.tenantId) })
    const actions = audit.inertiaProps.entries.map((entry: { action: string }) => entry.action)
    assert.include(actions, 'tenant.created')
    const foreign = await AuditLogEntry.query().where('tenant_id', b.tenantId)
    const ids = new Set(audit.inertiaProps.entries.map((entry: { id: number }) => entry.id))
    assert.isTrue(foreign.every((entry) => !ids.has(entry.id)))

    // a session pointing at a foreign tenant falls back to one of the user's own
    const forged = await client
      .get('/app')
      .withInertia()
      .loginAs(userA)
      .withSession({ tenantId: Number(b.tenantId) })
    assert.equal(forged.inertiaProps.shell.tenant.id, Number(a.tenantId))
  })

  test('stored text is sent as data, never as markup', async ({ client, assert }) => {
    const owner = await signup(client, {
      tenantName: '<img src=x onerror=alert(1)>',
      fullName: '<script>alert(2)</script>',
    })
    const ownerUser = await User.findOrFail(Number(owner.ownerId))
    const html = await client
      .get('/app')
      .loginAs(ownerUser)
      .withSession({ tenantId: Number(owner.tenantId) })
    html.assertStatus(200)
    assert.notInclude(html.text(), '<img src=x')
    assert.notInclude(html.text(), '<script>alert(2)')
    const page = await client
      .get('/app')
      .withInertia()
      .loginAs(ownerUser)
      .withSession({ tenantId: Number(owner.tenantId) })
    assert.equal(page.inertiaProps.shell.tenant.name, '<img src=x onerror=alert(1)>')
  })
})

test.group('Web session: two-factor enrollment', () => {
  test('enroll with a QR code, confirm, see recovery codes once, disable with a code', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const user = await User.findOrFail(Number(owner.ownerId))
    const base = { tenantId: Number(owner.tenantId) }

    const before = await client.get('/app/security').withInertia().loginAs(user).withSession(base)
    before.assertInertiaComponent('security')
    assert.isFalse(before.inertiaProps.twoFactor.enabled)
    assert.isNull(before.inertiaProps.enrollment)

    const started = await client
      .post('/app/security/two-factor')
      .loginAs(user)
      .withSession(base)
      .withCsrfToken()
      .redirects(0)
    started.assertHeader('location', '/app/security')
    const enrolling = await client
      .get('/app/security')
      .withInertia()
      .withSession(sessionOf(started))
    const enrollment = enrolling.inertiaProps.enrollment
    assert.match(enrollment.qrCodeDataUrl, /^data:image\/png;base64,/)
    assert.match(enrollment.secret, /^[A-Z2-7]+$/)

    const wrong = await client
      .post('/app/security/two-factor/confirm')
      .withSession(sessionOf(started))
      .withCsrfToken()
      .json({ code: '000000' })
      .redirects(0)
    assert.equal(
      errorsOf(wrong).code,
      'That code is wrong or expired; enter the one your app shows now.'
    )
    await user.refresh()
    assert.isFalse(user.hasTwoFactor)

    const confirmed = await client
      .post('/app/security/two-factor/confirm')
      .withSession(sessionOf(started))
      .withCsrfToken()
      .json({ code: twoFactor.currentCode(enrollment.secret) })
      .redirects(0)
    confirmed.assertHeader('location', '/app/security')
    const codes = confirmed.flashMessage('recoveryCodes') as unknown as string[]
    assert.lengthOf(codes, 10)
    await user.refresh()
    assert.isTrue(user.hasTwoFactor)

    const shown = await client
      .get('/app/security')
      .withInertia()
      .withSession(sessionOf(confirmed))
      .withFlashMessages({ recoveryCodes: codes })
    assert.deepEqual(shown.inertiaProps.recoveryCodes, codes)
    const later = await client.get('/app/security').withInertia().withSession(sessionOf(confirmed))
    assert.isNull(later.inertiaProps.recoveryCodes)
    assert.isTrue(later.inertiaProps.twoFactor.enabled)
    assert.equal(later.inertiaProps.twoFactor.recoveryCodesLeft, 10)

    const badDisable = await client
      .post('/app/security/two-factor/disable')
      .withSession(sessionOf(confirmed))
      .withCsrfToken()
      .json({ code: '123456' })
      .redirects(0)
    assert.equal(errorsOf(badDisable).code, 'That code is wrong or expired.')
    await user.refresh()
    assert.isTrue(user.hasTwoFactor)

    const disabled = await client
      .post('/app/security/two-factor/disable')
      .withSession(sessionOf(confirmed))
      .withCsrfToken()
      .json({ code: twoFactor.currentCode(enrollment.secret) })
      .redirects(0)
    disabled.assertHeader('location', '/app/security')
    await user.refresh()
    assert.isFalse(user.hasTwoFactor)
    const actions = (await AuditLogEntry.query().where('actor_user_id', user.id).orderBy('id')).map(
      (entry) => entry.action
    )
    assert.includeMembers(actions, [
      'auth.two_factor.enrollment_started',
      'auth.two_factor.enabled',
      'auth.two_factor.disabled',
    ])
  })

  test('a tenant that requires two-factor sends its owner to the security page first', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    await enrollTwoFactor(client, owner.token)
    const policy = await client
      .patch('/api/v1/tenant')
      .bearerToken(owner.token)
      .json({ data: { attributes: { requireTwoFactor: true } } })
    policy.assertStatus(200)

    const user = await User.findOrFail(Number(owner.ownerId))
    const ok = await client
      .get('/app')
      .withInertia()
      .loginAs(user)
      .withSession({ tenantId: Number(owner.tenantId) })
    ok.assertInertiaComponent('dashboard')

    await twoFactor.disable(user)
    const sent = await client
      .get('/app/members')
      .loginAs(user)
      .withSession({ tenantId: Number(owner.tenantId) })
      .redirects(0)
    sent.assertHeader('location', '/app/security')
    const security = await client
      .get('/app/security')
      .withInertia()
      .loginAs(user)
      .withSession({ tenantId: Number(owner.tenantId) })
    assert.isTrue(security.inertiaProps.requiredByTenant)
  })
})
