/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { signup, PASSWORD } from '#tests/helpers'

test.group('Plugin manager in Chromium', () => {
  test('enable a plugin: its nav entry and page appear; disable it: both are gone', async ({
    client,
    visit,
    assert,
  }) => {
    const owner = await signup(client, { fullName: 'Pia Plugins' })
    const page = await visit('/login')
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))

    await page.getByLabel('Email').fill(owner.email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/app')

    const nav = page.getByRole('navigation', { name: 'Main' })
    assert.equal(await nav.getByRole('link', { name: 'Notes' }).count(), 0)

    // the keyboard reaches the plugin manager
    await nav.getByRole('link', { name: 'Plugins' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL('**/app/plugins')
    await page.assertTextContains('h1', 'Plugins')

    await page.getByRole('button', { name: 'Enable Notes', exact: true }).click()
    await page.assertTextContains('[role="status"]', 'Enabled Notes.')
    await page.assertVisible(nav.getByRole('link', { name: 'Notes' }))
    await mkdir(app.tmpPath('screenshots'), { recursive: true })
    await page.screenshot({ path: app.tmpPath('screenshots/plugin_manager.png'), fullPage: true })

    // the plugin's page, resolved by the client from the plugin's own folder
    await nav.getByRole('link', { name: 'Notes' }).click()
    await page.waitForURL('**/app/notes')
    await page.assertTextContains('h1', 'Notes')
    await page.assertTextContains('main', 'No notes yet.')

    // a plugin that needs another: the dependency question, answered with the keyboard
    await nav.getByRole('link', { name: 'Plugins' }).click()
    await page.waitForURL('**/app/plugins')
    await page.getByRole('button', { name: 'Disable Notes', exact: true }).click()
    await page.assertTextContains('[role="status"]', 'Disabled Notes. Its data is kept.')
    await page.getByRole('button', { name: 'Enable Notes Plus', exact: true }).click()
    const question = page.getByRole('alertdialog')
    await page.assertTextContains('[role="alertdialog"]', 'Notes Plus needs Notes, which is off.')
    assert.isTrue(await question.evaluate((element) => element === document.activeElement))
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.assertTextContains('[role="status"]', 'Enabled Notes, Notes Plus.')

    // Notes is needed now: disabling it is refused with the dependant's name
    await page.getByRole('button', { name: 'Disable Notes', exact: true }).click()
    await page.assertTextContains('[role="alert"]', 'needed by "notes-plus"')
    await page.getByRole('button', { name: 'Disable Notes Plus', exact: true }).click()
    await page.assertTextContains('[role="status"]', 'Disabled Notes Plus.')
    await page.getByRole('button', { name: 'Disable Notes', exact: true }).click()
    await page.assertTextContains('[role="status"]', 'Disabled Notes.')

    await page.assertNotExists('nav[aria-label="Main"] a[href="/app/notes"]')
    await page.goto('/app/notes')
    await page.assertTextContains('h1', 'Page not found')

    assert.deepEqual(
      problems.filter((problem) => !problem.includes('404')),
      []
    )
  })
})
