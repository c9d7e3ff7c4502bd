import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import type { RouteJSON } from '@adonisjs/core/types/http'
import { describedRoutes, routeDocs, type RouteDoc } from '#http/openapi/route_docs'
import { DEFAULT_LIMIT, MAX_LIMIT } from '#http/list_query'

/*
 * /api/v1/openapi.json, generated from the router: every /api/v1 route with
 * the doc its `.describe()` gave, request bodies from the very VineJS
 * validators that check them.
 */

export const API_PREFIX = '/api/v1'

type JsonObject = Record<string, any>

export function isApiRoute(pattern: string) {
  return pattern === API_PREFIX || pattern.startsWith(`${API_PREFIX}/`)
}

/* `/roles/:id` -> `/roles/{id}`; optional params are documented like the others. */
export function toOpenApiPath(pattern: string) {
  return pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) return `{${segment.slice(1).replace(/\?$/, '')}}`
      if (segment === '*') return '{wildcard}'
      return segment
    })
    .join('/')
}

/* The documented methods of a route: HEAD is implied by GET. */
export function documentedMethods(route: Pick<RouteJSON, 'methods'>) {
  return route.methods.filter((method) => method !== 'HEAD')
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` })

const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/X-RateLimit-Limit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/X-RateLimit-Remaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/X-RateLimit-Reset' },
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed body, invalid query parameter or header',
  401: 'Missing, invalid, expired or revoked bearer token',
  403: 'The role lacks the permission',
  404: 'Not found (also for another tenant’s ids)',
  409: 'Conflict with the current state, or an idempotent request still in progress',
  413: 'Body larger than 100 kB',
  422: 'Validation failed; each error points at its field',
  423: 'Account locked after repeated failures',
  429: 'Rate limit exceeded; see Retry-After',
}

const components = {
  securitySchemes: {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      description:
        'Opaque API token (`plt_...`) from POST /api/v1/auth/tokens, scoped to one tenant',
    },
  },
  headers: {
    'X-RateLimit-Limit': {
      description: 'Requests allowed in the window',
      schema: { type: 'integer' },
    },
    'X-RateLimit-Remaining': {
      description: 'Requests left in the window',
      schema: { type: 'integer' },
    },
    'X-RateLimit-Reset': {
      description: 'Unix time (seconds) at which the window resets',
      schema: { type: 'integer' },
    },
    'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
    'Idempotent-Replayed': {
      description:
        '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
      schema: { type: 'string', enum: ['true'] },
    },
  },
  parameters: {
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes the POST safe to retry: the first answer (status and body) is kept for 24 hours and replayed, ' +
        'with `Idempotent-Replayed: true`, to a retry with the same key and the same request. The same key with ' +
        'a different request answers 422 IDEMPOTENCY_KEY_REUSED; a retry while the first is still running answers ' +
        '409 IDEMPOTENCY_REQUEST_IN_PROGRESS. 5xx answers are not kept. Keys belong to the token’s user and tenant ' +
        '(the client IP on public routes).',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
    },
    page: {
      name: 'page',
      in: 'query',
      description: 'Page number, from 1',
      schema: { type: 'integer', minimum: 1, default: 1 },
    },
    limit: {
      name: 'limit',
      in: 'query',
      description: 'Items per page',
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
    },
    sort: {
      name: 'sort',
      in: 'query',
      description:
        'Comma-separated fields, `-` for descending (e.g. `-createdAt,name`); each list names its sortable fields',
      schema: { type: 'string' },
    },
    filter: {
      name: 'filter',
      in: 'query',
      style: 'deepObject',
      explode: true,
      description:
        '`filter[field]=value`, comma-separated values match any; each list names its filterable fields',
      schema: { type: 'object', additionalProperties: { type: 'string' } },
    },
    search: {
      name: 'search',
      in: 'query',
      description: 'Case-insensitive text search over the list’s searchable fields',
      schema: { type: 'string', maxLength: 200 },
    },
  },
  schemas: {
    Resource: {
      type: 'object',
      required: ['type', 'id', 'attributes'],
      properties: {
        type: { type: 'string' },
        id: { type: 'string' },
        attributes: { type: 'object' },
      },
    },
    Document: {
      type: 'object',
      properties: {
        data: {
          oneOf: [ref('Resource'), { type: 'array', items: ref('Resource') }, { type: 'null' }],
        },
        meta: { type: 'object' },
      },
    },
    ListMeta: {
      type: 'object',
      required: ['page', 'limit', 'total', 'totalPages'],
      properties: {
        page: { type: 'integer', minimum: 1 },
        limit: { type: 'integer', minimum: 1 },
        total: { type: 'integer', minimum: 0 },
        totalPages: { type: 'integer', minimum: 1 },
      },
    },
    ListLinks: {
      type: 'object',
      required: ['first', 'prev', 'next', 'last'],
      properties: {
        first: { type: 'string' },
        prev: { type: ['string', 'null'] },
        next: { type: ['string', 'null'] },
        last: { type: 'string' },
      },
    },
    Error: {
      type: 'object',
      required: ['status', 'code', 'title'],
      properties: {
        status: { type: 'string', description: 'HTTP status, as a string' },
        code: {
          type: 'string',
          description: 'Stable machine-readable code, e.g. VALIDATION_ERROR',
        },
        title: { type: 'string' },
        detail: { type: 'string' },
        source: {
          type: 'object',
          properties: {
            pointer: {
              type: 'string',
              description: 'JSON pointer into the request body, e.g. /data/attributes/email',
            },
            parameter: { type: 'string', description: 'Query parameter at fault' },
            header: { type: 'string', description: 'Request header at fault' },
          },
        },
        meta: { type: 'object' },
      },
    },
    ErrorDocument: {
      type: 'object',
      required: ['errors'],
      properties: { errors: { type: 'array', minItems: 1, items: ref('Error') } },
    },
  } as JsonObject,
  responses: {} as JsonObject,
}

for (const [status, description] of Object.entries(ERROR_DESCRIPTIONS)) {
  components.responses[`Error${status}`] = {
    description,
    ...(status === '429'
      ? {
          headers: {
            ...RATE_LIMIT_HEADERS,
            'Retry-After': { $ref: '#/components/headers/Retry-After' },
          },
        }
      : {}),
    content: { 'application/json': { schema: ref('ErrorDocument') } },
  }
}

function operationId(route: RouteJSON, method: string) {
  if (route.name) return route.name.replace(/^api\./, '')
  return `${method.toLowerCase()}${toOpenApiPath(route.pattern).replace(/[^A-Za-z0-9]+/g, '_')}`
}

function schemaName(id: string) {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('')
}

function pathParameters(route: RouteJSON) {
  return route.pattern
    .split('/')
    .filter((segment) => segment.startsWith(':'))
    .map((segment) => {
      const name = segment.slice(1).replace(/\?$/, '')
      const matcher = route.matchers[name]
      return {
        name,
        in: 'path',
        required: true,
        schema: matcher?.match
          ? { type: 'string', pattern: matcher.match.source }
          : { type: 'string' },
      }
    })
}

function resourceSchema(type?: string) {
  if (!type) return ref('Resource')
  return { allOf: [ref('Resource')], properties: { type: { const: type } } }
}

function successResponse(doc: RouteDoc, rateLimited: boolean) {
  const status = doc.status ?? 200
  const headers = rateLimited ? RATE_LIMIT_HEADERS : undefined
  if (status === 204)
    return [status, { description: 'No content', ...(headers ? { headers } : {}) }] as const
  const schema = doc.schema
    ? doc.schema
    : doc.list
      ? {
          type: 'object',
          required: ['data', 'meta', 'links'],
          properties: {
            data: { type: 'array', items: resourceSchema(doc.resource) },
            meta: ref('ListMeta'),
            links: ref('ListLinks'),
          },
        }
      : doc.resource
        ? {
            type: 'object',
            required: ['data'],
            properties: { data: resourceSchema(doc.resource), meta: { type: 'object' } },
          }
        : ref('Document')
  return [
    status,
    {
      description: doc.list ? 'A page of the list' : 'Success',
      ...(headers ? { headers } : {}),
      content: { 'application/json': { schema } },
    },
  ] as const
}

/* Is a rate limiter among the route's middleware (see start/limiter.ts)? */
function isRateLimited(route: RouteJSON) {
  return [...route.middleware.all()].some(
    (entry: any) => typeof entry === 'function' && /Throttle$/.test(entry.name)
  )
}

function operation(
  route: RouteJSON,
  method: string,
  doc: RouteDoc | undefined,
  schemas: JsonObject
) {
  const id = operationId(route, method)
  if (!doc) {
    // still listed, so nothing is hidden; the OpenAPI test refuses routes without docs
    return {
      'operationId': id,
      'summary': 'Undocumented route',
      'x-undocumented': true,
      'parameters': pathParameters(route),
      'responses': { default: { description: 'Undocumented' } },
    }
  }

  const parameters: JsonObject[] = [...pathParameters(route)]
  if (doc.list)
    parameters.push(
      ...['page', 'limit', 'sort', 'filter', 'search'].map((p) => ({
        $ref: `#/components/parameters/${p}`,
      }))
    )
  if (method === 'POST') parameters.push({ $ref: '#/components/parameters/IdempotencyKey' })

  const rateLimited = isRateLimited(route)
  const [status, success] = successResponse(doc, rateLimited)
  const errors = new Set<number>(doc.errors ?? [])
  if (doc.auth !== false) errors.add(401)
  if (doc.permission) errors.add(403)
  if (route.pattern.includes(':')) errors.add(404)
  if (doc.list) errors.add(400)
  if (doc.body) [400, 413, 422].forEach((s) => errors.add(s))
  if (method === 'POST') [400, 409, 422].forEach((s) => errors.add(s))
  if (rateLimited) errors.add(429)

  const responses: JsonObject = { [String(status)]: success }
  for (const code of [...errors].sort()) {
    responses[String(code)] = ERROR_DESCRIPTIONS[code]
      ? responseRef(`Error${code}`)
      : { description: 'Error', content: { 'application/json': { schema: ref('ErrorDocument') } } }
  }

  const op: JsonObject = {
    operationId: id,
    summary: doc.summary,
    tags: [doc.tag],
    security: doc.auth === false ? [] : [{ bearerAuth: [] }],
  }
  if (doc.permission) {
    op['x-permission'] = doc.permission
    op.description = `Needs the \`${doc.permission}\` permission.`
  }
  if (parameters.length) op.parameters = parameters

  if (doc.body) {
    const name = `${schemaName(id)}Attributes`
    schemas[name] = doc.body.toJSONSchema()
    op.requestBody = {
      required: true,
      description:
        'Send `{"data": {"attributes": {...}}}`; a flat object of the attributes is accepted too.',
      content: {
        'application/json': {
          schema: {
            anyOf: [
              {
                type: 'object',
                required: ['data'],
                properties: {
                  data: {
                    type: 'object',
                    required: ['attributes'],
                    properties: {
                      type: { type: 'string' },
                      id: { type: 'string' },
                      attributes: ref(name),
                    },
                  },
                  meta: { type: 'object' },
                },
              },
              ref(name),
            ],
          },
        },
      },
    }
  }

  op.responses = responses
  return op
}

/* Docs by `METHOD pattern`, read from the described Route objects (final patterns once prefixed). */
function docsByRoute() {
  const docs = new Map<string, RouteDoc>()
  for (const route of describedRoutes) {
    if (route.isDeleted()) continue
    const doc = routeDocs.get(route)!
    const json = route.toJSON()
    for (const method of json.methods) docs.set(`${method} ${json.pattern}`, doc)
  }
  return docs
}

/* The /api/v1 routes the router serves (once committed), with their doc if any. */
export function apiRoutes() {
  const docs = docsByRoute()
  const routes: { route: RouteJSON; method: string; doc?: RouteDoc }[] = []
  for (const domainRoutes of Object.values(router.toJSON())) {
    for (const route of domainRoutes) {
      if (!isApiRoute(route.pattern)) continue
      for (const method of documentedMethods(route)) {
        routes.push({ route, method, doc: docs.get(`${method} ${route.pattern}`) })
      }
    }
  }
  return routes
}

export function buildOpenApiDocument() {
  const schemas: JsonObject = { ...components.schemas }
  const paths: JsonObject = {}
  const tags = new Set<string>()
  for (const { route, method, doc } of apiRoutes()) {
    const path = toOpenApiPath(route.pattern)
    paths[path] ??= {}
    paths[path][method.toLowerCase()] = operation(route, method, doc, schemas)
    if (doc) tags.add(doc.tag)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Plinth API',
      version: app.version?.toString() ?? '1.0.0',
      description:
        'Every request and answer uses the `{"data": {"type", "id", "attributes"}, "meta"}` envelope; errors use ' +
        '`{"errors": [{status, code, title, detail, source}]}`. Lists take `page`, `limit`, `sort`, ' +
        '`filter[field]` and `search`. Rate limits are announced with X-RateLimit-* headers.',
    },
    servers: [{ url: '/' }],
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components: { ...components, schemas },
  }
}

let cached: string | undefined

/* Serialized once per process: routes cannot change after the router commits. */
export function openApiJson() {
  if (cached) return cached
  const json = JSON.stringify(buildOpenApiDocument())
  if (router.commited) cached = json
  return json
}
