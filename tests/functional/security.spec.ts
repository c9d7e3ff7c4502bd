import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { twoFactor } from '#auth/two_factor'
import { signup, login, PASSWORD } from '#tests/helpers'

/* Enrolls the token's user in TOTP through the API; returns the secret and recovery codes. */
async function enrollTwoFactor(client: any, token: string) {
  const enroll = await client.post('/api/v1/auth/two-factor/enroll').bearerToken(token)
  enroll.assertStatus(201)
  const { secret, qrCodeDataUrl, otpauthUrl } = enroll.body().data.attributes
  const confirm = await client
    .post('/api/v1/auth/two-factor/confirm')
    .bearerToken(token)
    .json({ code: twoFactor.currentCode(secret) })
  confirm.assertStatus(200)
  return {
    secret,
    qrCodeDataUrl,
    otpauthUrl,
    recoveryCodes: confirm.body().data.attributes.recoveryCodes as string[],
  }
}

test.group('Lockout', () => {
  test('five failed logins lock the account for 15 minutes, even with the right password', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await client
        .post('/api/v1/auth/tokens')
        .json({ email: owner.email, password: `wrong-${attempt}-password`, tenant: owner.slug })
      response.assertStatus(401)
    }
    const locked = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, tenant: owner.slug })
    locked.assertStatus(423)
    assert.equal(locked.body().errors[0].code, 'ACCOUNT_LOCKED')
    const until = new Date(locked.body().errors[0].meta.lockedUntil).getTime()
    assert.closeTo(until - Date.now(), 15 * 60 * 1000, 10_000)

    // the lock expires: move it into the past and the right password works again
    const user = await User.findByOrFail('email', owner.email)
    user.lockedUntil = DateTime.utc().minus({ seconds: 1 })
    await user.save()
    ;(
      await client
        .post('/api/v1/auth/tokens')
        .json({ email: owner.email, password: PASSWORD, tenant: owner.slug })
    ).assertStatus(201)

    const log = await db.from('audit_logs').where('action', 'auth.lockout')
    assert.lengthOf(
      log.filter((row) => row.actor_user_id === Number(owner.ownerId)),
      1
    )
  })

  test('a success resets the failure count', async ({ client }) => {
    const owner = await signup(client)
    for (let i = 0; i < 4; i++) {
      await client
        .post('/api/v1/auth/tokens')
        .json({ email: owner.email, password: 'wrong-password-x', tenant: owner.slug })
    }
    await login(client, owner.email, owner.slug)
    for (let i = 0; i < 4; i++) {
      ;(
        await client
          .post('/api/v1/auth/tokens')
          .json({ email: owner.email, password: 'wrong-password-x', tenant: owner.slug })
      ).assertStatus(401)
    }
    await login(client, owner.email, owner.slug)
  })
})

test.group('Two-factor (TOTP)', () => {
  test('enrollment gives a QR code; once on, a token needs a valid code', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const { secret, qrCodeDataUrl, otpauthUrl, recoveryCodes } = await enrollTwoFactor(
      client,
      owner.token
    )
    assert.match(qrCodeDataUrl, /^data:image\/png;base64,/)
    assert.match(otpauthUrl, /^otpauth:\/\/totp\/Plinth:/)
    assert.lengthOf(recoveryCodes, 10)

    const stored = await db.from('users').where('email', owner.email).first()
    assert.notInclude(stored.totp_secret, secret)

    const missing = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, tenant: owner.slug })
    missing.assertStatus(401)
    assert.equal(missing.body().errors[0].code, 'TWO_FACTOR_REQUIRED')
    const wrong = await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: PASSWORD, tenant: owner.slug, otp: '000000' })
    wrong.assertStatus(401)
    assert.equal(wrong.body().errors[0].code, 'INVALID_TWO_FACTOR_CODE')
    const ok = await client.post('/api/v1/auth/tokens').json({
      email: owner.email,
      password: PASSWORD,
      tenant: owner.slug,
      otp: twoFactor.currentCode(secret),
    })
    ok.assertStatus(201)

    const status = await client.get('/api/v1/auth/two-factor').bearerToken(owner.token)
    assert.deepInclude(status.body().data.attributes, { enabled: true, recoveryCodesLeft: 10 })
  })

  test('a recovery code works once', async ({ client }) => {
    const owner = await signup(client)
    const { recoveryCodes } = await enrollTwoFactor(client, owner.token)
    const body = {
      email: owner.email,
      password: PASSWORD,
      tenant: owner.slug,
      otp: recoveryCodes[3].toUpperCase(),
    }
    ;(await client.post('/api/v1/auth/tokens').json(body)).assertStatus(201)
    ;(await client.post('/api/v1/auth/tokens').json(body)).assertStatus(401)
  })

  test('a wrong confirmation code leaves two-factor off; disabling needs a code', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    const enroll = await client.post('/api/v1/auth/two-factor/enroll').bearerToken(owner.token)
    const bad = await client
      .post('/api/v1/auth/two-factor/confirm')
      .bearerToken(owner.token)
      .json({ code: '123456' })
    bad.assertStatus(422)
    const off = await client.get('/api/v1/auth/two-factor').bearerToken(owner.token)
    assert.isFalse(off.body().data.attributes.enabled)

    const secret = enroll.body().data.attributes.secret
    ;(
      await client
        .post('/api/v1/auth/two-factor/confirm')
        .bearerToken(owner.token)
        .json({ code: twoFactor.currentCode(secret) })
    ).assertStatus(200)
    ;(
      await client
        .post('/api/v1/auth/two-factor/disable')
        .bearerToken(owner.token)
        .json({ code: '999999' })
    ).assertStatus(422)
    ;(
      await client
        .post('/api/v1/auth/two-factor/disable')
        .bearerToken(owner.token)
        .json({ code: twoFactor.currentCode(secret) })
    ).assertStatus(200)
    ;(
      await client
        .post('/api/v1/auth/tokens')
        .json({ email: owner.email, password: PASSWORD, tenant: owner.slug })
    ).assertStatus(201)
  })

  test('a tenant can require two-factor of its owners and admins', async ({ client, assert }) => {
    const owner = await signup(client)
    const refused = await client
      .patch('/api/v1/tenant')
      .bearerToken(owner.token)
      .json({ requireTwoFactor: true })
    refused.assertStatus(409)

    await enrollTwoFactor(client, owner.token)
    ;(
      await client.patch('/api/v1/tenant').bearerToken(owner.token).json({ requireTwoFactor: true })
    ).assertStatus(200)

    const admin = await signup(client)
    const worker = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: admin.email, role: 'admin' })
    ).assertStatus(201)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: worker.email, role: 'worker' })
    ).assertStatus(201)

    const adminToken = await login(client, admin.email, owner.slug)
    const blocked = await client.get('/api/v1/members').bearerToken(adminToken)
    blocked.assertStatus(403)
    assert.equal(blocked.body().errors[0].code, 'TWO_FACTOR_ENROLLMENT_REQUIRED')
    ;(await client.get('/api/v1/me').bearerToken(adminToken)).assertStatus(200)
    await enrollTwoFactor(client, adminToken)
    ;(await client.get('/api/v1/members').bearerToken(adminToken)).assertStatus(200)

    // workers are not affected
    const workerToken = await login(client, worker.email, owner.slug)
    ;(await client.get('/api/v1/me').bearerToken(workerToken)).assertStatus(200)
  })
})

test.group('Audit log', () => {
  test('security events and mutations are recorded with actor, tenant and request id', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    await client
      .post('/api/v1/auth/tokens')
      .json({ email: owner.email, password: 'wrong-password-x', tenant: owner.slug })
    await login(client, owner.email, owner.slug)
    await client
      .post('/api/v1/roles')
      .bearerToken(owner.token)
      .json({ key: 'clerk', name: 'Clerk', permissions: [] })

    const log = await client.get('/api/v1/audit-log?limit=100').bearerToken(owner.token)
    log.assertStatus(200)
    const actions = log.body().data.map((e: any) => e.attributes.action)
    assert.includeMembers(actions, [
      'tenant.created',
      'auth.token.created',
      'auth.login.succeeded',
      'role.created',
    ])
    const roleEntry = log.body().data.find((e: any) => e.attributes.action === 'role.created')
    assert.equal(roleEntry.attributes.actorUserId, owner.ownerId)
    assert.isString(roleEntry.attributes.requestId)
    // newest first
    const ids = log.body().data.map((e: any) => Number(e.id))
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => y - x)
    )

    // failed logins carry no tenant, so they are not in a tenant's log but are in the table
    const failed = await db
      .from('audit_logs')
      .where('action', 'auth.login.failed')
      .where('actor_user_id', Number(owner.ownerId))
    assert.lengthOf(failed, 1)
  })

  test('the audit log is append-only in the database', async ({ client, assert }) => {
    await signup(client)
    const row = await db.from('audit_logs').orderBy('id', 'desc').first()
    await assert.rejects(() =>
      db.from('audit_logs').where('id', row.id).update({ action: 'tampered' })
    )
    await assert.rejects(() => db.from('audit_logs').where('id', row.id).delete())
    const same = await db.from('audit_logs').where('id', row.id).first()
    assert.equal(same.action, row.action)
  })

  test('only roles with audit.read can read it', async ({ client }) => {
    const owner = await signup(client)
    const worker = await signup(client)
    ;(
      await client
        .post('/api/v1/members')
        .bearerToken(owner.token)
        .json({ email: worker.email, role: 'worker' })
    ).assertStatus(201)
    const token = await login(client, worker.email, owner.slug)
    ;(await client.get('/api/v1/audit-log').bearerToken(token)).assertStatus(403)
  })
})
