import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { stringify } from 'csv-stringify/sync'
import {
  ApiError,
  audit,
  receiveUpload,
  resource,
  single,
  tenantContext,
  validateAttributes,
  type UploadLimits,
} from '#plinth'
import Client from '../models/client.js'
import ClientImport from '../models/client_import.js'
import { importValidator } from '../validators/client_validator.js'
import { CsvFile, previewImport, storeImport } from '../services/csv_import.js'
import { crmPlugin } from '../services/crm_plugin.js'

export const IMPORT_JOB = 'crm.import-clients'

const importResource = (job: ClientImport) =>
  resource('crm-import', job.id, {
    status: job.status,
    fileName: job.fileName,
    headers: job.headers,
    mapping: job.mapping,
    totalRows: job.totalRows,
    processedRows: job.processedRows,
    createdCount: job.createdCount,
    errorCount: job.errorCount,
    progress: job.totalRows ? Math.round((job.processedRows / job.totalRows) * 100) : 0,
    errors: job.errors,
    createdAt: job.createdAt.toISO(),
    updatedAt: job.updatedAt.toISO(),
  })

const EXPORT_COLUMNS = [
  'id',
  'kind',
  'name',
  'companyName',
  'status',
  'emails',
  'phones',
  'tags',
  'createdAt',
]

/* CSV uploads, on this route only (config/bodyparser.ts leaves its multipart body to receiveUpload) */
export const UPLOAD: UploadLimits = { field: 'file', size: '50mb', extnames: ['csv', 'txt'] }

const mappingValidator = vine.compile(
  vine.object({ mapping: vine.record(vine.string().minLength(1).maxLength(200)).optional() })
)

/* The "mapping" field of a form: a JSON object of field → column, or nothing. */
export async function mappingField(raw: unknown) {
  if (raw === undefined || raw === null || raw === '') return undefined
  let mapping: unknown = raw
  if (typeof raw === 'string') {
    try {
      mapping = JSON.parse(raw)
    } catch {
      throw ApiError.validation('mapping', '"mapping" must be a JSON object: {"name": "Full Name"}')
    }
  }
  try {
    const checked = await mappingValidator.validate({ mapping })
    return checked.mapping
  } catch {
    throw ApiError.validation('mapping', '"mapping" maps fields to column names (strings)')
  }
}

/*
 * The upload of a multipart request (field "file", at most UPLOAD_LIMIT,
 * .csv or .txt) streamed to a temporary file, with the form's "preview" and
 * "mapping" (a JSON object) fields.
 */
async function receiveCsv(ctx: HttpContext) {
  const upload = await receiveUpload(ctx, UPLOAD)
  try {
    return {
      csv: new CsvFile(createReadStream(upload.path), '/data/attributes/file'),
      fileName: upload.clientName.slice(0, 255),
      preview: ['true', '1'].includes(String(upload.fields.preview ?? '')),
      mapping: await mappingField(upload.fields.mapping),
      cleanup: upload.cleanup,
    }
  } catch (error) {
    await upload.cleanup()
    throw error
  }
}

export default class ImportsController {
  /*
   * POST /imports: a CSV file as multipart/form-data (large files) or as the
   * "csv" attribute of a JSON body (small ones). With preview, the mapping,
   * sample rows and errors, writing nothing; else the rows are stored and the
   * import job queued (201), followed with GET /imports/{id}.
   */
  async store(ctx: HttpContext) {
    let request: {
      csv: CsvFile
      fileName: string | null
      preview: boolean
      mapping?: Record<string, string>
      cleanup: () => Promise<void>
    }
    if (ctx.request.is(['multipart/form-data'])) {
      request = await receiveCsv(ctx)
    } else {
      const input = await validateAttributes(ctx, importValidator)
      request = {
        csv: new CsvFile(Readable.from([input.csv]), '/data/attributes/csv'),
        fileName: null,
        preview: input.preview === true,
        mapping: input.mapping,
        cleanup: async () => {},
      }
    }
    try {
      if (request.preview) {
        const preview = await previewImport(request.csv, request.mapping)
        return single(resource('crm-import-preview', 'preview', preview))
      }
      if (!request.mapping)
        throw ApiError.validation('mapping', 'Give the column mapping (a preview suggests one)')
      const job = await storeImport(request.csv, request.mapping, {
        userId: ctx.actor?.user.id ?? null,
        fileName: request.fileName,
      })
      await crmPlugin.context
        .use('jobs.dispatch')
        .dispatch(IMPORT_JOB, { importId: job.id }, { tenantId: tenantContext.tenantId! })
      ctx.response.status(201)
      return single(importResource(job))
    } finally {
      await request.cleanup()
    }
  }

  async show({ params }: HttpContext) {
    return single(importResource(await ClientImport.findOrFail(params.id)))
  }

  /*
   * GET /clients/csv: every client of the tenant as CSV, streamed 1000 clients
   * at a time (never the whole file in memory). The stream is read after this
   * returns, so each batch runs in the tenant's context explicitly.
   */
  async exportCsv({ response }: HttpContext) {
    const tenantId = tenantContext.tenantId!
    await audit({ action: 'crm.clients.exported_csv', subjectType: 'crm-client' })
    async function* lines() {
      yield stringify([EXPORT_COLUMNS])
      let lastId = 0
      for (;;) {
        const batch = await tenantContext.run(tenantId, () =>
          Client.query()
            .where('id', '>', lastId)
            .orderBy('id')
            .limit(1000)
            .preload('emails', (q) => q.orderBy('position'))
            .preload('phones', (q) => q.orderBy('position'))
            .preload('tags', (q) => q.orderBy('tag'))
        )
        if (!batch.length) return
        lastId = batch[batch.length - 1].id
        yield stringify(
          batch.map((client) => [
            client.id,
            client.kind,
            client.name,
            client.companyName ?? '',
            client.status,
            client.emails.map((e) => e.email).join(';'),
            client.phones.map((p) => p.number).join(';'),
            client.tags.map((t) => t.tag).join(';'),
            client.createdAt.toISO(),
          ])
        )
      }
    }
    response.header('content-type', 'text/csv; charset=utf-8')
    response.header('content-disposition', 'attachment; filename="clients.csv"')
    response.stream(Readable.from(lines()))
  }
}
