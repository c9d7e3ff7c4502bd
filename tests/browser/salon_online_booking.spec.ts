/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import Tenant from '#models/tenant'
import User from '#models/user'
import { localAt, post, readySalon } from '../../plugins/salon/tests/helpers.js'

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

  test('staff book and reschedule from the day calendar', async ({ client, visit, assert }) => {
    const { tenant, serviceId } = await readySalon(client)
    const owner = await User.findOrFail(tenant.ownerId)
    const startsAt = localAt('Europe/London', 2, '10:00')
    const date = startsAt.slice(0, 10)
    ;(
      await post(client, tenant, '/appointments', {
        serviceId,
        startsAt,
        client: { name: 'Ada Lovelace' },
      })
    ).assertStatus(201)

    const page = await visit('/login')
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    await page.getByLabel('Email').fill(owner.email)
    await page.getByLabel('Password').fill('salon tests password 1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/app')
    await page.goto(`/app/salon/calendar?date=${date}`)
    await page.assertTextContains('[data-testid="calendar"]', 'Ada Lovelace')

    // a click at 14:00 in the column opens the booking form with that time
    const column = page.locator('.calendar-body').first()
    const box = (await column.boundingBox())!
    const grid = await page.evaluate(() => (window as any).history.state?.page?.props?.grid)
    const top = (14 * 60 - (grid?.fromMinute ?? 480)) * 0.8 + 2
    await column.click({ position: { x: box.width / 2, y: top } })
    await page.getByLabel('Name').fill('Walk In')
    await mkdir(app.tmpPath('screenshots'), { recursive: true })
    await page.getByRole('button', { name: 'Book', exact: true }).click()
    await page.assertTextContains('[role="status"]', 'Booked')
    await page.screenshot({ path: app.tmpPath('screenshots/salon_calendar.png'), fullPage: true })
    await page.assertTextContains('[data-testid="calendar"]', 'Walk In')

    // move Ada to 15:00
    await page.getByRole('button', { name: /Ada Lovelace/ }).click()
    await page.getByLabel('Move to').fill(`${date}T15:00`)
    await page.getByRole('button', { name: 'Reschedule' }).click()
    await page.assertTextContains('[role="status"]', 'Appointment moved')
    await page.assertTextContains('[data-testid="calendar"]', '15:00 Ada Lovelace')

    const rows = await db
      .from('salon_appointments')
      .where('tenant_id', tenant.tenantId)
      .orderBy('starts_ms')
    assert.lengthOf(rows, 2)
    assert.deepEqual(problems, [])
  })
})
