import type { HttpContext } from '@adonisjs/core/http'
import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import { ApiError } from '#http/api_error'
import type { ResourceObject } from '#http/envelope'

/*
 * The list conventions of every collection endpoint:
 * ?page=&limit=&sort=-createdAt,name&filter[status]=active&search=...
 * Each endpoint names what may be sorted, filtered and searched; anything else
 * is a 400 naming the parameter, never a 500 or a silent ignore.
 */
export type ListSpec = {
  /* api field name -> column */
  sortable: Record<string, string>
  /* api field name -> column, or a boolean column (values true/false/1/0) */
  filterable?: Record<string, string | { column: string; type: 'boolean' }>
  /* columns matched by `search` (case-insensitive contains) */
  searchable?: string[]
  defaultSort: string
}

export type ListParams = {
  page: number
  limit: number
  sort: { column: string; direction: 'asc' | 'desc' }[]
  filters: { column: string; values: (string | boolean)[] }[]
  search: string | null
}

export const MAX_LIMIT = 100
export const DEFAULT_LIMIT = 25

function badParameter(parameter: string, detail: string) {
  const error = new ApiError(400, 'INVALID_QUERY_PARAMETER', detail)
  error.parameter = parameter
  return error
}

/* Far past any real list, and small enough that page * limit stays a safe SQL offset. */
export const MAX_PAGE = 1_000_000

function positiveInt(raw: unknown, name: string, fallback: number, max: number) {
  if (raw === undefined || raw === '') return fallback
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(value) || value < 1) {
    throw badParameter(name, `"${name}" must be a positive integer`)
  }
  if (value > max) throw badParameter(name, `"${name}" must be at most ${max}`)
  return value
}

/* The query-string parser splits "a,b" into ["a", "b"]: put text back together. */
function text(raw: unknown, name: string): string | undefined {
  if (raw === undefined) return undefined
  const value =
    typeof raw === 'string'
      ? raw
      : Array.isArray(raw) && raw.every((part) => typeof part === 'string')
        ? raw.join(',')
        : null
  if (value === null) throw badParameter(name, `"${name}" must be a string`)
  if (value.includes('\u0000'))
    throw badParameter(name, `"${name}" must not contain NUL characters`)
  return value
}

export function parseListParams(qs: Record<string, any>, spec: ListSpec): ListParams {
  const page = positiveInt(qs.page, 'page', 1, MAX_PAGE)
  const limit = positiveInt(qs.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT)

  const rawSort = text(qs.sort, 'sort') || spec.defaultSort
  const sort = rawSort.split(',').map((part: string) => {
    const direction: 'asc' | 'desc' = part.startsWith('-') ? 'desc' : 'asc'
    const field = part.replace(/^[-+]/, '')
    const column = spec.sortable[field]
    if (!column) {
      throw badParameter(
        'sort',
        `Cannot sort by "${field}"; allowed: ${Object.keys(spec.sortable).join(', ')}`
      )
    }
    return { column, direction }
  })

  const filters: ListParams['filters'] = []
  if (qs.filter !== undefined) {
    if (typeof qs.filter !== 'object' || Array.isArray(qs.filter)) {
      throw badParameter('filter', 'Filters are written filter[field]=value')
    }
    for (const [field, raw] of Object.entries(qs.filter)) {
      const target = spec.filterable?.[field]
      if (!target) {
        const allowed = Object.keys(spec.filterable ?? {}).join(', ') || 'none'
        throw badParameter(`filter[${field}]`, `Cannot filter by "${field}"; allowed: ${allowed}`)
      }
      // the query-string parser already splits "a,b" into an array
      const rawValues = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null
      if (
        !rawValues ||
        rawValues.some((value) => typeof value !== 'string' || value.includes('\u0000'))
      ) {
        throw badParameter(
          `filter[${field}]`,
          `filter[${field}] must be a value or a comma-separated list`
        )
      }
      if (typeof target === 'string') {
        filters.push({ column: target, values: rawValues })
        continue
      }
      const values = rawValues.map((value: string) => {
        if (['true', '1'].includes(value)) return true
        if (['false', '0'].includes(value)) return false
        throw badParameter(`filter[${field}]`, `filter[${field}] must be true or false`)
      })
      filters.push({ column: target.column, values })
    }
  }

  let search: string | null = null
  const rawSearch = text(qs.search, 'search')
  if (rawSearch) {
    if (rawSearch.length > 200)
      throw badParameter('search', '"search" must be at most 200 characters')
    if (!spec.searchable?.length) throw badParameter('search', 'This list cannot be searched')
    search = rawSearch
  }

  return { page, limit, sort, filters, search }
}

export function applyListParams<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model, InstanceType<Model>>,
  params: ListParams,
  spec: ListSpec
) {
  for (const filter of params.filters) query.whereIn(filter.column, filter.values)
  if (params.search) {
    const needle = `%${params.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query.where((group) => {
      for (const column of spec.searchable ?? []) {
        group.orWhereRaw(`lower(${column}) like ? escape '\\'`, [needle])
      }
    })
  }
  for (const { column, direction } of params.sort) query.orderBy(column, direction)
  return query
}

/* Runs the list query and answers with data, meta and links. */
export async function paginate<Model extends LucidModel>(
  ctx: HttpContext,
  query: ModelQueryBuilderContract<Model, InstanceType<Model>>,
  spec: ListSpec,
  toResource: (row: InstanceType<Model>) => ResourceObject
) {
  const params = parseListParams(ctx.request.qs(), spec)
  applyListParams(query, params, spec)
  const result = await query.paginate(params.page, params.limit)
  const total = result.total
  const totalPages = Math.max(1, Math.ceil(total / params.limit))

  const link = (page: number) => {
    const qs = new URLSearchParams()
    for (const [key, value] of Object.entries(ctx.request.qs())) {
      if (key === 'filter' && value && typeof value === 'object') {
        for (const [field, v] of Object.entries(value)) qs.set(`filter[${field}]`, String(v))
      } else if (key !== 'page') {
        qs.set(key, String(value))
      }
    }
    qs.set('page', String(page))
    qs.set('limit', String(params.limit))
    return `${ctx.request.url()}?${qs.toString()}`
  }

  return {
    data: (result.all() as InstanceType<Model>[]).map((row) => toResource(row)),
    meta: { page: params.page, limit: params.limit, total, totalPages },
    links: {
      first: link(1),
      prev: params.page > 1 ? link(Math.min(params.page - 1, totalPages)) : null,
      next: params.page < totalPages ? link(params.page + 1) : null,
      last: link(totalPages),
    },
  }
}
