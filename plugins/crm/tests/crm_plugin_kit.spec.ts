import { test } from '@japa/runner'
import { pluginTestKit } from '#plinth/testing'

/*
 * The kernel's checks for the CRM: authentication and the declared permission
 * on every route, tenant isolation through every route, disable (routes,
 * pages, nav, jobs) and the migration round trip.
 */
pluginTestKit(test, {
  plugin: 'crm',
  routes: {
    'POST /clients': {
      kind: 'person',
      name: 'Kit Client',
      emails: [{ email: 'kit@example.test' }],
    },
    'PATCH /clients/:id': { name: 'Kit Client Renamed' },
    'POST /clients/:id/notes': { body: 'Kit note' },
    'POST /clients/:id/erase': {},
    'POST /imports': { csv: 'name\nKit Import', mapping: { name: 'name' } },
  },
})
