import { definePlugin } from '#plinth'
import { seedCrmDemo } from './services/demo_data.js'
import { crmPlugin } from './services/crm_plugin.js'
import {
  createClientValidator,
  createNoteValidator,
  importValidator,
  updateClientValidator,
} from './validators/client_validator.js'
import './services/client_privacy.js'
import { markImportFailed, runImport } from './services/csv_import.js'
import { clientDetailProps, clientListProps } from './services/client_pages.js'
import { importPageProps, startImportAction, uploadImportAction } from './services/import_pages.js'
import { UPLOAD } from './controllers/imports_controller.js'

const ClientsController = () => import('./controllers/clients_controller.js')
const PrivacyController = () => import('./controllers/privacy_controller.js')
const ImportsController = () => import('./controllers/imports_controller.js')

const IMPORT_ATTEMPTS = 3
const id = { match: /^[0-9]{1,15}$/, cast: (value: string) => Number(value) }
const TAG = 'CRM'

/*
 * CRM: clients (companies and people) with contacts, addresses, phones,
 * emails, tags, notes and custom fields; ranked search; CSV import/export;
 * privacy export/erase that other plugins join through ./public.ts.
 */
export default definePlugin({
  id: 'crm',
  name: 'CRM',
  version: '1.0.0',
  description:
    'Clients, contacts and notes, with search, CSV import/export and privacy export/erase',
  requires: { kernel: '^1.0.0' },
  permissions: [
    {
      key: 'crm.clients.read',
      description: 'See clients',
      roles: ['admin', 'manager', 'dispatcher', 'worker'],
    },
    {
      key: 'crm.clients.write',
      description: 'Create, change, archive and import clients',
      roles: ['admin', 'manager', 'dispatcher'],
    },
    {
      key: 'crm.clients.export',
      description: 'Export clients (CSV, privacy export)',
      roles: ['admin'],
    },
    { key: 'crm.clients.erase', description: "Erase a client's personal data", roles: ['admin'] },
  ],
  capabilities: ['events.publish', 'jobs.dispatch', 'settings.read'],
  migrations: 'database/migrations',
  settings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      defaultCountry: {
        type: 'string',
        pattern: '^[A-Z]{2}$',
        description: 'Country of phone numbers written without +',
      },
      customFieldsSchema: {
        type: 'object',
        description: "JSON Schema the clients' custom fields must match",
      },
    },
  },

  /* /app/crm (search as you type) and /app/crm/clients/:id (with the timeline) */
  pages: [
    {
      path: '/',
      component: 'clients',
      title: 'Clients',
      permission: 'crm.clients.read',
      props: clientListProps,
    },
    {
      path: '/clients/:id',
      component: 'client',
      title: 'Client',
      permission: 'crm.clients.read',
      props: clientDetailProps,
    },
    {
      path: '/imports/:id',
      component: 'import',
      title: 'Client import',
      permission: 'crm.clients.write',
      props: importPageProps,
    },
  ],
  /* CSV import from the client list: upload (up to 50 MB), then mapping and progress on the import page */
  actions: [
    {
      path: '/imports',
      permission: 'crm.clients.write',
      upload: UPLOAD,
      handle: uploadImportAction,
    },
    { path: '/imports/:id/start', permission: 'crm.clients.write', handle: startImportAction },
  ],
  nav: [{ label: 'Clients', path: '/', permission: 'crm.clients.read', order: 10 }],

  jobs: [
    {
      /* runs a CSV import in the tenant's context; a retry resumes after the rows committed */
      name: 'crm.import-clients',
      attempts: IMPORT_ATTEMPTS,
      async handle(payload: { importId: number }, ctx) {
        crmPlugin.use(ctx.plugin)
        try {
          await runImport(payload.importId)
        } catch (error) {
          // the last attempt: the import page and API say so instead of "running" forever
          if (ctx.attempt >= IMPORT_ATTEMPTS) await markImportFailed(payload.importId)
          throw error
        }
      },
    },
  ],

  routes(router, plugin) {
    crmPlugin.use(plugin)
    router.get('/clients', [ClientsController, 'index']).as('clients.index').describe({
      summary:
        'List or search clients (search: names, emails, phones, company; ranked, typo-tolerant)',
      tag: TAG,
      resource: 'crm-client',
      list: true,
      permission: 'crm.clients.read',
    })
    router.post('/clients', [ClientsController, 'store']).as('clients.store').describe({
      summary: 'Create a client',
      tag: TAG,
      body: createClientValidator,
      resource: 'crm-client',
      permission: 'crm.clients.write',
      status: 201,
    })
    router
      .get('/clients/:id', [ClientsController, 'show'])
      .as('clients.show')
      .where('id', id)
      .describe({
        summary: 'Show a client',
        tag: TAG,
        resource: 'crm-client',
        permission: 'crm.clients.read',
      })
    router
      .patch('/clients/:id', [ClientsController, 'update'])
      .as('clients.update')
      .where('id', id)
      .describe({
        summary:
          'Change a client (status "archived" archives it; lists given replace the client\'s)',
        tag: TAG,
        body: updateClientValidator,
        resource: 'crm-client',
        permission: 'crm.clients.write',
      })
    router
      .get('/clients/:id/notes', [ClientsController, 'notes'])
      .as('clients.notes')
      .where('id', id)
      .describe({
        summary: 'Notes on a client',
        tag: TAG,
        resource: 'crm-note',
        list: true,
        permission: 'crm.clients.read',
      })
    router
      .post('/clients/:id/notes', [ClientsController, 'addNote'])
      .as('clients.notes.store')
      .where('id', id)
      .describe({
        summary: 'Add a note to a client',
        tag: TAG,
        body: createNoteValidator,
        resource: 'crm-note',
        permission: 'crm.clients.write',
        status: 201,
      })
    router
      .get('/clients/:id/timeline', [PrivacyController, 'timeline'])
      .as('clients.timeline')
      .where('id', id)
      .describe({
        summary: 'Timeline of a client: events from every enabled plugin, newest first',
        tag: TAG,
        resource: 'crm-timeline-entry',
        list: true,
        permission: 'crm.clients.read',
      })
    router
      .get('/clients/:id/export', [PrivacyController, 'export'])
      .as('clients.export')
      .where('id', id)
      .describe({
        summary: 'Privacy export: everything Plinth and the enabled plugins hold about the client',
        tag: TAG,
        resource: 'crm-client-export',
        permission: 'crm.clients.export',
      })
    router
      .post('/clients/:id/erase', [PrivacyController, 'erase'])
      .as('clients.erase')
      .where('id', id)
      .describe({
        summary: "Erase the client's personal data everywhere (amounts are kept; audited)",
        tag: TAG,
        resource: 'crm-client',
        permission: 'crm.clients.erase',
        errors: [409],
      })
    router
      .get('/clients/csv', [ImportsController, 'exportCsv'])
      .as('clients.csv')
      .describe({
        summary: 'Export every client as CSV',
        tag: TAG,
        permission: 'crm.clients.export',
        schema: { type: 'string', description: 'text/csv' },
      })
    router.post('/imports', [ImportsController, 'store']).as('imports.store').describe({
      summary:
        'CSV import: a file as multipart/form-data (field "file", .csv, up to 50 MB; fields "preview" and "mapping" as JSON) or a small one as the JSON attribute "csv". With preview: true, the columns, the mapping (suggested when left out), sample rows and the errors of the first 1000 rows, writing nothing; else the rows are stored and the import job queued (follow it with GET /imports/{id})',
      tag: TAG,
      body: importValidator,
      resource: 'crm-import',
      permission: 'crm.clients.write',
      status: 201,
    })
    router
      .get('/imports/:id', [ImportsController, 'show'])
      .as('imports.show')
      .where('id', id)
      .describe({
        summary: 'Progress and per-row errors of a CSV import',
        tag: TAG,
        resource: 'crm-import',
        permission: 'crm.clients.write',
      })
  },

  /* demo data for `npm start` (services/demo_data.ts) */
  demo: () => seedCrmDemo(),
})
