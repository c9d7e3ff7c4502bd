import { parse } from 'csv-parse/sync'
import { errors as vineErrors } from '@vinejs/vine'
import { ApiError, tenantContext } from '#plinth'
import ClientImport, { type ImportRowError } from '../models/client_import.js'
import { createClientValidator } from '../validators/client_validator.js'
import { checkCustomFields } from './custom_fields.js'
import { crmSettings, type CrmSettings } from './crm_plugin.js'
import { createClient, normalizeLists, type CreateClientInput } from './client_writer.js'

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

export const MAX_IMPORT_ROWS = 50_000
const MAX_ERRORS_KEPT = 1000

export type Mapping = Record<string, string>

/* Header row and data rows; a file that is not CSV is a 422 on the csv attribute. */
export function readCsv(text: string) {
  let records: string[][]
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    })
  } catch (error) {
    throw new ApiError(
      422,
      'VALIDATION_ERROR',
      `The file is not valid CSV: ${(error as Error).message}`,
      {
        pointer: '/data/attributes/csv',
      }
    )
  }
  if (records.length < 2) {
    throw new ApiError(
      422,
      'VALIDATION_ERROR',
      'The file needs a header row and at least one row',
      {
        pointer: '/data/attributes/csv',
      }
    )
  }
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    throw new ApiError(422, 'VALIDATION_ERROR', `At most ${MAX_IMPORT_ROWS} rows per import`, {
      pointer: '/data/attributes/csv',
    })
  }
  return { headers: records[0], rows: records.slice(1) }
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

/* What the preview shows: the mapping, the first rows as they would be imported, and every row's errors. */
export async function previewImport(csv: string, given?: Mapping) {
  const { headers, rows } = readCsv(csv)
  const mapping = given ?? suggestMapping(headers)
  if (given) checkMapping(given, headers)
  const settings = await crmSettings()
  const errors: ImportRowError[] = []
  const sample: Record<string, unknown>[] = []
  if (mapping.name) {
    for (const [index, row] of rows.entries()) {
      const attributes = rowAttributes(row, headers, mapping)
      const checked = await checkRow(attributes, settings)
      if ('error' in checked) {
        if (errors.length < MAX_ERRORS_KEPT) errors.push({ row: index + 2, ...checked.error })
      } else if (sample.length < 20) {
        sample.push(attributes)
      }
    }
  }
  return { headers, mapping, fields: IMPORT_FIELDS, totalRows: rows.length, sample, errors }
}

/* Runs an import (the job's work): valid rows become clients, the others are reported. */
export async function runImport(importId: number) {
  const job = await ClientImport.findOrFail(importId)
  if (job.status === 'done') return
  const { headers, rows } = readCsv(job.csv)
  const settings = await crmSettings()
  job.merge({ status: 'running', totalRows: rows.length })
  await job.save()
  // a retried job resumes after the rows already handled
  const errors = [...job.errors]
  for (let index = job.processedRows; index < rows.length; index++) {
    const attributes = rowAttributes(rows[index], headers, job.mapping)
    const checked = await checkRow(attributes, settings)
    if ('error' in checked) {
      job.errorCount++
      if (errors.length < MAX_ERRORS_KEPT) errors.push({ row: index + 2, ...checked.error })
    } else {
      await createClient(checked.input, { settings })
      job.createdCount++
    }
    job.processedRows = index + 1
    if (job.processedRows % 100 === 0 || job.processedRows === rows.length) {
      job.errors = errors
      await job.save()
    }
  }
  job.merge({ status: 'done', errors })
  await job.save()
}

export function currentTenant() {
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new Error('CSV import needs a tenant in context')
  return tenantId
}
