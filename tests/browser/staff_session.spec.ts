/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { twoFactor } from '#auth/two_factor'
import { addTenant, signup, PASSWORD } from '#tests/helpers'

test.group('Staff web UI in Chromium', () => {
  test('sign in, switch tenant with the switcher, sign out', async ({ client, visit, assert }) => {
    const owner = await signup(client, { fullName: 'Olga Owner' })
    const second = await addTenant(client, owner.token)
    const firstName = (await client.get('/api/v1/tenant').bearerToken(owner.token)).body().data
      .attributes.name as string

    const page = await visit('/login')
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))

    await page.assertTitle('Sign in · Plinth')
    await mkdir(app.tmpPath('screenshots'), { recursive: true })
    await page.screenshot({ path: app.tmpPath('screenshots/login.png') })
    await page.getByLabel('Email').fill(owner.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.waitForURL('**/app')
    await page.assertTextContains('[data-testid="tenant-name"]', firstName)
    await page.assertTextContains('[data-testid="current-user"]', 'Olga Owner')
    const nav = page.getByRole('navigation', { name: 'Main' })
    await page.assertVisible(nav.getByRole('link', { name: 'Audit log' }))

    await page.screenshot({ path: app.tmpPath('screenshots/dashboard.png'), fullPage: true })

    await page
      .getByLabel('Organization', { exact: true })
      .selectOption({ label: `${second.name} (Owner)` })
    await page.getByRole('button', { name: 'Switch' }).click()
    await page.assertTextContains('[data-testid="tenant-name"]', second.name)
    await page.assertTextContains('[role="status"]', `You are now working in ${second.name}.`)
    await page.screenshot({ path: app.tmpPath('screenshots/switched.png'), fullPage: true })

    // the keyboard reaches the navigation, and the page changes without a reload
    await nav.getByRole('link', { name: 'Members' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL('**/app/members')
    await page.assertTextContains('h1', 'Members')
    await page.assertTextContains('table', owner.email)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL('**/login')
    await page.assertTextContains('[role="status"]', 'You have signed out.')

    // signed out for real: the dashboard sends us back to the login page
    await page.goto('/app')
    await page.waitForURL('**/login')

    assert.deepEqual(problems, [])
  })

  test('an account with two-factor is asked for the code before it is signed in', async ({
    client,
    visit,
    assert,
  }) => {
    const owner = await signup(client)
    const enrollment = await client.post('/api/v1/auth/two-factor/enroll').bearerToken(owner.token)
    const secret = enrollment.body().data.attributes.secret as string
    await client
      .post('/api/v1/auth/two-factor/confirm')
      .bearerToken(owner.token)
      .json({ data: { attributes: { code: twoFactor.currentCode(secret) } } })

    const page = await visit('/login')
    await page.getByLabel('Email').fill(owner.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.assertTextContains('h1', 'Two-factor authentication')
    assert.isTrue(
      await page.getByLabel('Code').evaluate((input) => input === document.activeElement)
    )
    await page.getByLabel('Code').fill('000000')
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.assertTextContains('.field-error', 'That code is wrong or expired.')
    await page.assertPath('/login')

    await page.getByLabel('Code').fill(twoFactor.currentCode(secret))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.waitForURL('**/app')
    await page.assertVisible('[data-testid="tenant-name"]')
  })

  test('the security page shows a QR code to enroll', async ({ client, visit, assert }) => {
    const owner = await signup(client)
    const page = await visit('/login')
    await page.getByLabel('Email').fill(owner.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/app')

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Security' })
      .click()
    await page.getByRole('button', { name: 'Set up two-factor' }).click()
    const qr = page.getByAltText('QR code to add Plinth to your authenticator app')
    await page.assertVisible(qr)
    assert.isAbove(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth), 0)
    await page.screenshot({ path: app.tmpPath('screenshots/security.png'), fullPage: true })

    const secret = (await page.getByTestId('totp-secret').textContent())!.trim()
    await page.getByLabel('The 6-digit code your app shows').fill(twoFactor.currentCode(secret))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.assertTextContains('[role="status"]', 'Two-factor authentication is on.')
    assert.equal(await page.getByTestId('recovery-codes').locator('li').count(), 10)
  })
})
