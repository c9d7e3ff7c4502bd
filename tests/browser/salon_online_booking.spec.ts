/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import Tenant from '#models/tenant'
import { localAt, readySalon } from '../../plugins/salon/tests/helpers.js'

test.group('Salon online booking page in Chromium', () => {
  test('a client picks a time and books without an account', async ({ client, visit, assert }) => {
    const { tenant } = await readySalon(client)
    const slug = (await Tenant.findOrFail(tenant.tenantId)).slug
    const date = localAt('Europe/London', 2, '00:00').slice(0, 10)

    const page = await visit(`/p/${slug}/salon/book`)
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    await page.assertTextContains('h1', 'Book an appointment')
    await page.getByLabel('Day').fill(date)
    const nine = page.getByRole('radio', { name: '09:00' })
    await nine.waitFor()
    await nine.click()
    await page.getByLabel('Your name').fill('Grace Hopper')
    await page.getByLabel('E-mail').fill('grace@example.test')
    await mkdir(app.tmpPath('screenshots'), { recursive: true })
    await page.screenshot({ path: app.tmpPath('screenshots/salon_book.png'), fullPage: true })
    await page.getByRole('button', { name: 'Book', exact: true }).click()
    await page.assertTextContains('[data-testid="confirmation"]', 'You are booked')
    await page.screenshot({ path: app.tmpPath('screenshots/salon_booked.png'), fullPage: true })

    const rows = await db.from('salon_appointments').where('tenant_id', tenant.tenantId)
    assert.lengthOf(rows, 1)
    assert.deepEqual(problems, [])
  })
})
