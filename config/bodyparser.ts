import { defineConfig } from '@adonisjs/core/bodyparser'

/* Bodies are small on purpose: oversized ones answer 413 before any work is done. */
export default defineConfig({
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  form: {
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],
    limit: '100kb',
  },
  json: {
    convertEmptyStringsToNull: false,
    limit: '100kb',
    strict: true,
    types: [
      'application/json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'application/csp-report',
    ],
  },
  multipart: {
    autoProcess: true,
    convertEmptyStringsToNull: true,
    /* CRM CSV imports stream their file (up to 50 MB) to disk themselves */
    processManually: ['/api/v1/crm/imports'],
    limit: '20mb',
    types: ['multipart/form-data'],
  },
})
