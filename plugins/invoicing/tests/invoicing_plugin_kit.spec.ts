import { test } from '@japa/runner'
import { pluginTestKit } from '#plinth/testing'

/*
 * The kernel's checks for invoicing: authentication and the declared
 * permission on every route, tenant isolation through every route (drafts
 * need no client, so the kit can create them), disable (routes, jobs) and
 * the migration round trip.
 */
const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
const line = { description: 'Kit line', quantity: 1, unitPrice: '1000' }

pluginTestKit(test, {
  plugin: 'invoicing',
  routes: {
    'POST /items': {
      kind: 'service',
      name: 'Kit service',
      prices: [{ currency: 'EUR', unitPrice: '1000' }],
    },
    'PATCH /items/:id': { name: 'Kit service renamed' },
    'POST /tax-rates': { name: 'Kit VAT', rate: '20' },
    'PATCH /tax-rates/:id': { name: 'Kit VAT renamed' },
    'POST /quotes': { currency: 'EUR', expiresOn: inAMonth, lines: [line] },
    'PATCH /quotes/:id': { notes: 'Kit' },
    'POST /quotes/:id/approve': { signatureName: 'Kit Client' },
    'POST /invoices': { currency: 'EUR', lines: [line] },
    'PATCH /invoices/:id': { notes: 'Kit' },
    'POST /invoices/:id/payments': { amount: '100' },
    'POST /invoices/:id/credit-notes': { lines: [line], reason: 'Kit' },
    'POST /clients/:clientId/payments': { amount: '100', currency: 'EUR' },
    'POST /payments/:id/refunds': { amount: '1' },
  },
  jobs: { 'invoicing.remind-overdue': {} },
})
