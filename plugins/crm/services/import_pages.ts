import { createReadStream } from 'node:fs'
import type { PluginActionContext, PluginPageContext } from '#plinth'
import { ApiError } from '#plinth'
import ClientImport from '../models/client_import.js'
import { IMPORT_JOB, mappingField } from '../controllers/imports_controller.js'
import { crmPlugin } from './crm_plugin.js'
import { CsvFile, IMPORT_FIELDS, startImport, storeImport, storedPreview } from './csv_import.js'

/* errors shown on the page; the API (GET /imports/{id}) has every kept one */
const ERRORS_SHOWN = 200

/*
 * The import page (/app/crm/imports/:id): a pending import shows its columns,
 * the mapping to confirm and a preview of its first rows; then its progress,
 * which the page polls, and its per-row errors.
 */
export async function importPageProps(ctx: PluginPageContext) {
  const id = Number(ctx.params.id)
  const job = await ClientImport.find(Number.isSafeInteger(id) ? id : 0)
  if (!job) throw ApiError.notFound('Import')
  const raw = ctx.query.mapping
  let mapping = job.mapping
  if (job.status === 'pending' && typeof raw === 'string' && raw) {
    // the page previews the mapping being edited; a bad one falls back to the stored one
    mapping = (await mappingField(raw).catch(() => undefined)) ?? job.mapping
  }
  return {
    clientImport: {
      id: job.id,
      status: job.status,
      fileName: job.fileName,
      headers: job.headers,
      mapping,
      fields: IMPORT_FIELDS,
      totalRows: job.totalRows,
      processedRows: job.processedRows,
      createdCount: job.createdCount,
      errorCount: job.errorCount,
      progress: job.totalRows ? Math.floor((job.processedRows / job.totalRows) * 100) : 0,
      errors: job.errors.slice(0, ERRORS_SHOWN),
    },
    preview: job.status === 'pending' ? await storedPreview(job, mapping) : null,
  }
}

/* POST /app/crm/imports (multipart, field "file"): stores the rows, then the import page */
export async function uploadImportAction(ctx: PluginActionContext) {
  if (!ctx.file) throw ApiError.validation('file', 'Choose a CSV file')
  const job = await storeImport(
    new CsvFile(createReadStream(ctx.file.path), '/data/attributes/file'),
    undefined,
    { userId: ctx.userId, fileName: ctx.file.clientName.slice(0, 255) }
  )
  return { redirectTo: `/imports/${job.id}` }
}

/* POST /app/crm/imports/:id/start (mapping): queues the import, back to its page to follow it */
export async function startImportAction(ctx: PluginActionContext) {
  const mapping = await mappingField(ctx.body.mapping)
  if (!mapping) throw ApiError.validation('mapping', 'Map a column to "name"')
  const id = Number(ctx.params.id)
  const job = await startImport(Number.isSafeInteger(id) ? id : 0, mapping)
  await crmPlugin.context
    .use('jobs.dispatch')
    .dispatch(IMPORT_JOB, { importId: job.id }, { tenantId: ctx.tenantId })
  return { redirectTo: `/imports/${job.id}`, notice: `Importing ${job.totalRows} rows` }
}
