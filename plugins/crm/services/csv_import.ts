import type { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import db from '@adonisjs/lucid/services/db'
import { errors as vineErrors } from '@vinejs/vine'
import { ApiError, audit, tenantContext } from '#plinth'
import ClientImport, { type ImportRowError } from '../models/client_import.js'
import ClientImportRows from '../models/client_import_rows.js'
import { createClientValidator } from '../validators/client_validator.js'
import { checkCustomFields } from './custom_fields.js'
import { crmSettings, type CrmSettings } from './crm_plugin.js'
import { createClient, normalizeLists, type CreateClientInput } from './client_writer.js'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/* Client fields a CSV column can fill (plus "custom.<key>" for a custom field). */
export const IMPORT_FIELDS = [
  'name',
  'kind',
  'companyName',
  'status',
  'email',
  'phone',
  'tags',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'country',
] as const

/* header spellings recognised when suggesting a mapping (compared lower-cased, without spaces/_/-) */
const ALIASES: Record<string, string[]> = {
  name: ['name', 'fullname', 'client', 'clientname', 'customer'],
  kind: ['kind', 'type'],
  companyName: ['company', 'companyname', 'organisation', 'organization'],
  status: ['status'],
  email: ['email', 'emailaddress', 'mail'],
  phone: ['phone', 'phonenumber', 'telephone', 'mobile', 'tel'],
  tags: ['tags', 'labels'],
  line1: ['address', 'address1', 'line1', 'street'],
  line2: ['address2', 'line2'],
  city: ['city', 'town'],
  region: ['region', 'state', 'county', 'province'],
  postalCode: ['postalcode', 'postcode', 'zip', 'zipcode'],
  country: ['country', 'countrycode'],
}

/* a 50 MB file is about 250,000 rows of a typical client list */
export const MAX_IMPORT_ROWS = 250_000
const MAX_ERRORS_KEPT = 1000
/* rows per stored chunk (crm_import_rows) */
const CHUNK_ROWS = 500
/* rows per transaction of the job: progress is committed with the clients it counts */
const BATCH_ROWS = 100
/* the preview checks this many rows (the import checks every row) */
export const PREVIEW_CHECKED_ROWS = 1000
const SAMPLE_ROWS = 20

export type Mapping = Record<string, string>

/*
 * A CSV file read record by record (never whole in memory). `pointer` names
 * the attribute or multipart field problems are reported on: a file that is
 * not CSV, has no data row, or has too many rows is a 422 there.
 */
export class CsvFile {
  constructor(
    private source: Readable,
    readonly pointer: string
  ) {}

  fail(detail: string) {
    return new ApiError(422, 'VALIDATION_ERROR', detail, { pointer: this.pointer })
  }

  /* the header row, then every data row with its row number in the file (the header is 1) */
  async *records(): AsyncGenerator<{ header: string[] } | { row: string[]; rowNumber: number }> {
    const parser = parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    })
    this.source.on('error', (error) => parser.destroy(error))
    this.source.pipe(parser)
    let count = 0
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (count === 0) yield { header: record }
        else if (count > MAX_IMPORT_ROWS)
          throw this.fail(`At most ${MAX_IMPORT_ROWS} rows per import`)
        else yield { row: record, rowNumber: count + 1 }
        count++
      }
    } catch (error) {
      if (error instanceof ApiError) throw error
      throw this.fail(`The file is not valid CSV: ${(error as Error).message}`)
    } finally {
      // a caller that stops early (a bad mapping) leaves nothing reading the file
      this.source.unpipe(parser)
      this.source.destroy()
      parser.destroy()
    }
    if (count < 2) throw this.fail('The file needs a header row and at least one row')
  }
}

const squash = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '')

export function suggestMapping(headers: string[]): Mapping {
  const mapping: Mapping = {}
  for (const [field, aliases] of Object.entries(ALIASES)) {
    const header = headers.find((candidate) => aliases.includes(squash(candidate)))
    if (header) mapping[field] = header
  }
  for (const header of headers) {
    if (/^custom\./i.test(header)) mapping[header.replace(/^custom\./i, 'custom.')] = header
  }
  return mapping
}

/* A mapping must name the column of "name", known fields only, columns of this file. */
export function checkMapping(mapping: Mapping, headers: string[]) {
  const fail = (field: string, detail: string) =>
    new ApiError(422, 'VALIDATION_ERROR', detail, { pointer: `/data/attributes/mapping/${field}` })
  if (!mapping.name) throw fail('name', 'Map a column to "name"')
  for (const [field, header] of Object.entries(mapping)) {
    const known =
      (IMPORT_FIELDS as readonly string[]).includes(field) ||
      /^custom\.[A-Za-z0-9_]{1,60}$/.test(field)
    if (!known)
      throw fail(
        field,
        `Unknown field "${field}"; fields: ${IMPORT_FIELDS.join(', ')}, custom.<key>`
      )
    if (!headers.includes(header)) throw fail(field, `The file has no column "${header}"`)
  }
}

/* One CSV row as the attributes of POST /clients. */
export function rowAttributes(row: string[], headers: string[], mapping: Mapping) {
  const value = (field: string) => {
    const header = mapping[field]
    if (!header) return undefined
    const cell = row[headers.indexOf(header)]
    return cell === undefined || cell === '' ? undefined : cell
  }
  const attributes: Record<string, unknown> = {
    name: value('name'),
    kind:
      value('kind')?.toLowerCase() ??
      (value('companyName') && !value('email') ? 'company' : 'person'),
    companyName: value('companyName'),
    status: value('status')?.toLowerCase(),
  }
  const email = value('email')
  if (email)
    attributes.emails = email
      .split(/[;,]/)
      .filter(Boolean)
      .map((address) => ({ email: address }))
  const phone = value('phone')
  if (phone)
    attributes.phones = phone
      .split(/[;,]/)
      .filter(Boolean)
      .map((number) => ({ number }))
  const tags = value('tags')
  if (tags)
    attributes.tags = tags
      .split(/[;,]/)
      .map((tag) => tag.trim())
      .filter(Boolean)
  if (value('line1')) {
    attributes.addresses = [
      {
        line1: value('line1'),
        line2: value('line2'),
        city: value('city'),
        region: value('region'),
        postalCode: value('postalCode'),
        country: value('country'),
      },
    ]
  }
  const custom = Object.keys(mapping).filter((field) => field.startsWith('custom.'))
  if (custom.length) {
    const fields: Record<string, unknown> = {}
    for (const field of custom) {
      const cell = value(field)
      if (cell === undefined) continue
      // numbers and booleans in a CSV cell are read as such, so the schema can ask for them
      fields[field.slice('custom.'.length)] = /^-?\d+(\.\d+)?$/.test(cell)
        ? Number(cell)
        : cell === 'true'
          ? true
          : cell === 'false'
            ? false
            : cell
    }
    attributes.customFields = fields
  }
  for (const key of Object.keys(attributes))
    if (attributes[key] === undefined) delete attributes[key]
  return attributes
}

/* A row checked as POST /clients checks a body; errors name the field. */
export async function checkRow(
  attributes: Record<string, unknown>,
  settings: CrmSettings
): Promise<{ input: CreateClientInput } | { error: { field: string | null; message: string } }> {
  try {
    const input = await createClientValidator.validate(attributes)
    normalizeLists(input, settings)
    if (input.customFields) checkCustomFields(input.customFields, settings.customFieldsSchema)
    return { input }
  } catch (error) {
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      const first = (error as any).messages[0]
      return { error: { field: String(first.field ?? '') || null, message: first.message } }
    }
    if (error instanceof ApiError) {
      const field = error.pointer?.replace('/data/attributes/', '').replaceAll('/', '.') ?? null
      return { error: { field, message: error.message } }
    }
    throw error
  }
}

/*
 * What the preview shows: the columns, the mapping (suggested when not given),
 * the first rows as they would be imported and the errors of the first
 * PREVIEW_CHECKED_ROWS rows; the whole file is read to count its rows.
 */
export async function previewImport(file: CsvFile, given?: Mapping) {
  const settings = await crmSettings()
  let headers: string[] = []
  let mapping: Mapping = {}
  let totalRows = 0
  const errors: ImportRowError[] = []
  const sample: Record<string, unknown>[] = []
  for await (const record of file.records()) {
    if ('header' in record) {
      headers = record.header
      mapping = given ?? suggestMapping(headers)
      if (given) checkMapping(given, headers)
      continue
    }
    totalRows++
    if (totalRows > PREVIEW_CHECKED_ROWS || !mapping.name) continue
    const attributes = rowAttributes(record.row, headers, mapping)
    const checked = await checkRow(attributes, settings)
    if ('error' in checked) errors.push({ row: record.rowNumber, ...checked.error })
    else if (sample.length < SAMPLE_ROWS) sample.push(attributes)
  }
  return {
    headers,
    mapping,
    fields: IMPORT_FIELDS,
    totalRows,
    checkedRows: Math.min(totalRows, PREVIEW_CHECKED_ROWS),
    sample,
    errors,
  }
}

/*
 * Stores an import: the file's rows in chunks and the import row, in one
 * transaction with its audit entry; a bad file or mapping writes nothing.
 * With a mapping it is queued (the caller queues the job once this commits);
 * without, it waits for one (status "pending", a mapping suggested) and
 * startImport queues it.
 */
export async function storeImport(
  file: CsvFile,
  mapping: Mapping | undefined,
  meta: { userId: number | null; fileName: string | null }
) {
  return db.transaction(async (trx) => {
    const job = await ClientImport.create(
      {
        userId: meta.userId,
        fileName: meta.fileName,
        status: mapping ? 'queued' : 'pending',
        headers: [],
        mapping: mapping ?? {},
        totalRows: 0,
        errors: [],
      },
      { client: trx }
    )
    let chunk: string[][] = []
    let firstRow = 2
    const flush = async () => {
      if (!chunk.length) return
      await ClientImportRows.create({ importId: job.id, firstRow, rows: chunk }, { client: trx })
      firstRow += chunk.length
      chunk = []
    }
    for await (const record of file.records()) {
      if ('header' in record) {
        if (mapping) checkMapping(mapping, record.header)
        else job.mapping = suggestMapping(record.header)
        job.headers = record.header
        continue
      }
      job.totalRows++
      chunk.push(record.row)
      if (chunk.length === CHUNK_ROWS) await flush()
    }
    await flush()
    await job.useTransaction(trx).save()
    await audit(
      {
        action: mapping ? 'crm.import.started' : 'crm.import.uploaded',
        subjectType: 'crm-import',
        subjectId: job.id,
        meta: { rows: job.totalRows, fileName: meta.fileName },
      },
      trx
    )
    return job
  })
}

/* A pending import gets its mapping and is queued; the caller queues the job once this commits. */
export async function startImport(importId: number, mapping: Mapping) {
  return db.transaction(async (trx) => {
    const job = await ClientImport.query({ client: trx }).where('id', importId).forUpdate().first()
    if (!job) throw ApiError.notFound('Import')
    if (job.status !== 'pending')
      throw ApiError.conflict('IMPORT_ALREADY_STARTED', 'This import has already been started')
    checkMapping(mapping, job.headers)
    await job.merge({ mapping, status: 'queued' }).useTransaction(trx).save()
    await audit(
      {
        action: 'crm.import.started',
        subjectType: 'crm-import',
        subjectId: job.id,
        meta: { rows: job.totalRows, fileName: job.fileName },
      },
      trx
    )
    return job
  })
}

/* The preview of a stored import: its first rows as the mapping would import them, and their errors. */
export async function storedPreview(job: ClientImport, mapping: Mapping = job.mapping) {
  const first = await ClientImportRows.query()
    .where('import_id', job.id)
    .orderBy('first_row')
    .first()
  const settings = await crmSettings()
  const sample: Record<string, unknown>[] = []
  const errors: ImportRowError[] = []
  if (first && mapping.name) {
    for (const [index, row] of first.rows.entries()) {
      const attributes = rowAttributes(row, job.headers, mapping)
      const checked = await checkRow(attributes, settings)
      if ('error' in checked) errors.push({ row: first.firstRow + index, ...checked.error })
      else if (sample.length < SAMPLE_ROWS) sample.push(attributes)
    }
  }
  return { sample, errors, checkedRows: first?.rows.length ?? 0 }
}

/*
 * Runs an import (the job's work): valid rows become clients, the others are
 * reported with their row number. Each batch of rows commits with the
 * import's progress, so a retried job resumes after the last committed row:
 * no row is lost and none is imported twice.
 */
export async function runImport(importId: number) {
  const job = await ClientImport.findOrFail(importId)
  // a pending import waits for its mapping (startImport queues it)
  if (job.status === 'done' || job.status === 'pending') return
  const settings = await crmSettings()
  job.status = 'running'
  await job.save()
  const { headers, mapping } = job
  const progress = {
    processedRows: job.processedRows,
    createdCount: job.createdCount,
    errorCount: job.errorCount,
    errors: [...job.errors],
  }
  const importBatch = (batch: { row: string[]; rowNumber: number }[], savepoints: boolean) =>
    db.transaction(async (trx) => {
      const next = { ...progress, errors: [...progress.errors] }
      for (const { row, rowNumber } of batch) {
        const error = await importRow(row, headers, mapping, settings, trx, savepoints)
        if (error) {
          next.errorCount++
          if (next.errors.length < MAX_ERRORS_KEPT) next.errors.push({ row: rowNumber, ...error })
        } else {
          next.createdCount++
        }
        next.processedRows = rowNumber - 1
      }
      const current = await ClientImport.findOrFail(importId, { client: trx })
      await current.merge(next).save()
      Object.assign(progress, next)
    })
  const chunks = await ClientImportRows.query()
    .where('import_id', importId)
    .orderBy('first_row')
    .select('id', 'first_row')
  for (const { id } of chunks) {
    const chunk = await ClientImportRows.findOrFail(id)
    // row numbers start at 2 (the header is row 1); skip the rows already committed
    const pending = chunk.rows
      .map((row, index) => ({ row, rowNumber: chunk.firstRow + index }))
      .filter(({ rowNumber }) => rowNumber - 2 >= progress.processedRows)
    for (let start = 0; start < pending.length; start += BATCH_ROWS) {
      const batch = pending.slice(start, start + BATCH_ROWS)
      // rows are checked before they are written, so a batch fails only on a database refusal:
      // then it runs again with a savepoint per row, and the refused rows are reported
      await importBatch(batch, false).catch(() => importBatch(batch, true))
    }
  }
  const finished = await ClientImport.findOrFail(importId)
  await finished.merge({ status: 'done' }).save()
}

/* After its last attempt: the rows committed so far stay, the rest are not imported. */
export async function markImportFailed(importId: number) {
  const job = await ClientImport.find(importId)
  if (job && job.status !== 'done') await job.merge({ status: 'failed' }).save()
}

/*
 * One row: a client created, or its error. With savepoints, a row the
 * database refuses is rolled back alone and reported.
 */
async function importRow(
  row: string[],
  headers: string[],
  mapping: Mapping,
  settings: CrmSettings,
  trx: TransactionClientContract,
  savepoints: boolean
) {
  const checked = await checkRow(rowAttributes(row, headers, mapping), settings)
  if ('error' in checked) return checked.error
  try {
    if (!savepoints) await createClient(checked.input, { trx, settings })
    else
      await trx.transaction((savepoint) =>
        createClient(checked.input, { trx: savepoint, settings })
      )
    return null
  } catch (error) {
    if (error instanceof ApiError) {
      const field = error.pointer?.replace('/data/attributes/', '').replaceAll('/', '.') ?? null
      return { field, message: error.message }
    }
    if (!savepoints) throw error
    return { field: null, message: `Refused by the database: ${(error as Error).message}` }
  }
}

export function currentTenant() {
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new Error('CSV import needs a tenant in context')
  return tenantId
}
