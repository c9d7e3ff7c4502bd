import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { stringify } from 'csv-stringify/sync'
import { ApiError, audit, resource, single, tenantContext, validateAttributes } from '#plinth'
import Client from '../models/client.js'
import ClientImport from '../models/client_import.js'
import { importValidator } from '../validators/client_validator.js'
import { checkMapping, previewImport, readCsv } from '../services/csv_import.js'
import { crmPlugin } from '../services/crm_plugin.js'

export const IMPORT_JOB = 'crm.import-clients'

const importResource = (job: ClientImport) =>
  resource('crm-import', job.id, {
    status: job.status,
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

export default class ImportsController {
  /* POST /imports: a preview (preview: true, writes nothing), or the import job queued */
  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, importValidator)
    if (input.preview) {
      const preview = await previewImport(input.csv, input.mapping)
      return single(resource('crm-import-preview', 'preview', preview))
    }
    if (!input.mapping)
      throw ApiError.validation('mapping', 'Give the column mapping (a preview suggests one)')
    const { headers, rows } = readCsv(input.csv)
    const mapping = input.mapping
    checkMapping(mapping, headers)
    const job = await db.transaction(async (trx) => {
      const created = await ClientImport.create(
        {
          userId: ctx.actor?.user.id ?? null,
          status: 'queued',
          csv: input.csv,
          mapping,
          totalRows: rows.length,
          errors: [],
        },
        { client: trx }
      )
      await audit(
        {
          action: 'crm.import.started',
          subjectType: 'crm-import',
          subjectId: created.id,
          meta: { rows: rows.length },
        },
        trx
      )
      return created
    })
    await crmPlugin.context
      .use('jobs.dispatch')
      .dispatch(IMPORT_JOB, { importId: job.id }, { tenantId: tenantContext.tenantId! })
    ctx.response.status(201)
    return single(importResource(job))
  }

  async show({ params }: HttpContext) {
    return single(importResource(await ClientImport.findOrFail(params.id)))
  }

  /* GET /clients/csv: every client of the tenant as CSV */
  async exportCsv({ response }: HttpContext) {
    const lines: string[] = [stringify([EXPORT_COLUMNS])]
    let lastId = 0
    for (;;) {
      const batch = await Client.query()
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(1000)
        .preload('emails', (q) => q.orderBy('position'))
        .preload('phones', (q) => q.orderBy('position'))
        .preload('tags', (q) => q.orderBy('tag'))
      if (!batch.length) break
      lastId = batch[batch.length - 1].id
      lines.push(
        stringify(
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
      )
    }
    await audit({ action: 'crm.clients.exported_csv', subjectType: 'crm-client' })
    response.header('content-type', 'text/csv; charset=utf-8')
    response.header('content-disposition', 'attachment; filename="clients.csv"')
    return lines.join('')
  }
}
