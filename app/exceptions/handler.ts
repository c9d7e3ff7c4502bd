import app from '@adonisjs/core/services/app'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { errors as vineErrors } from '@vinejs/vine'
import { errors as bouncerErrors } from '@adonisjs/bouncer'
import type { LimiterResponse } from '@adonisjs/limiter'
import { ApiError, titleFor, type ErrorObject } from '#http/api_error'
import { rateLimitHeaders } from '#start/limiter'

/*
 * API requests (/api/*) always answer in the error envelope
 * `{"errors": [{status, code, title, detail, source}]}`; web requests keep the
 * AdonisJS/Inertia behaviour (redirect back with errors, status pages).
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  /* 403 and 404 always get the app's pages; 5xx only in production (elsewhere the debug page helps more) */
  protected renderStatusPages = true

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (_, { inertia }) => inertia.render('errors/forbidden'),
    '404': (_, { inertia }) => inertia.render('errors/not_found'),
    ...(app.inProduction
      ? {
          '500..599': (_: unknown, { inertia }: HttpContext) =>
            inertia.render('errors/server_error'),
        }
      : {}),
  }

  async handle(error: unknown, ctx: HttpContext) {
    if (!isApiRequest(ctx)) {
      // bouncer answers its refusals itself; staff get the app's page instead of plain text
      if (error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE) {
        return ctx.response.status(403).send(await ctx.inertia.render('errors/forbidden'))
      }
      return super.handle(error, ctx)
    }

    const { status, errors, headers } = toErrorResponse(error)
    for (const [name, value] of Object.entries(headers)) ctx.response.header(name, value)
    return ctx.response.status(status).send({ errors })
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}

/* the API, and JSON requests to plugins' public routes (app/plugins/public_routes.ts) */
export function isApiRequest(ctx: HttpContext) {
  return ctx.request.url().startsWith('/api/') || ctx.errorsAsJson === true
}

type ErrorResponse = { status: number; errors: ErrorObject[]; headers: Record<string, string> }

const one = (
  status: number,
  code: string,
  detail: string,
  extra: Partial<ErrorObject> = {}
): ErrorResponse => ({
  status,
  errors: [{ status: String(status), code, title: titleFor(status), detail, ...extra }],
  headers: {},
})

/* the database has no connection for this request right now: a retry shortly will do */
function databaseBusy(): ErrorResponse {
  const response = one(
    503,
    'SERVICE_BUSY',
    'The service is busy right now; retry after the Retry-After delay'
  )
  response.headers = { 'Retry-After': '2' }
  return response
}

/* Known error classes mapped to a status and a stable machine-readable code. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    return { status: error.status, errors: [error.toErrorObject()], headers: error.headers ?? {} }
  }

  if (error instanceof vineErrors.E_VALIDATION_ERROR) {
    const messages = error.messages as { field: string; message: string; rule: string }[]
    return {
      status: 422,
      headers: {},
      errors: messages.map((message) => ({
        status: '422',
        code: 'VALIDATION_ERROR',
        title: titleFor(422),
        detail: message.message,
        source: { pointer: `/data/attributes/${message.field.replaceAll('.', '/')}` },
        meta: { rule: message.rule },
      })),
    }
  }

  const e = error as { code?: string; status?: number; message?: string; errno?: number }
  switch (e.code) {
    case 'E_ROW_NOT_FOUND':
      return one(404, 'NOT_FOUND', 'Resource not found')
    case 'E_ROUTE_NOT_FOUND':
      return one(404, 'ROUTE_NOT_FOUND', e.message ?? 'Route not found')
    case 'E_UNAUTHORIZED_ACCESS':
      return one(401, 'UNAUTHENTICATED', 'A valid bearer token is required')
    case 'E_AUTHORIZATION_FAILURE':
      return one(403, 'FORBIDDEN', 'Your role does not allow this action')
    case 'E_TOO_MANY_REQUESTS': {
      const limit = (error as { response: LimiterResponse }).response
      const response = one(
        429,
        'RATE_LIMITED',
        'Too many requests; retry after the Retry-After delay',
        {
          meta: { retryAfter: limit.availableIn },
        }
      )
      response.headers = { ...rateLimitHeaders(limit), 'Retry-After': String(limit.availableIn) }
      return response
    }
    case 'E_REQUEST_ENTITY_TOO_LARGE':
      return one(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than the limit')
    case 'E_BAD_CSRF_TOKEN':
      return one(403, 'CSRF_TOKEN_INVALID', 'Invalid or missing CSRF token')
    case '23505':
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return one(409, 'CONFLICT', 'A record with these values already exists')
    case '23503':
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return one(
        409,
        'CONFLICT',
        'The change refers to a record that does not exist or is still in use'
      )
    case '53300': // too_many_connections: every process's pools together reached max_connections
    case '57P03': // cannot_connect_now: the server is starting or shutting down
    case 'SQLITE_BUSY': // another process held the write lock beyond busy_timeout
      return databaseBusy()
    case '22P02':
    case '22003':
    case '22021': // NUL or invalid UTF-8 in text
      return one(400, 'BAD_REQUEST', 'A value in the request has the wrong type or range')
  }

  // no pool connection freed up within Knex's acquire timeout
  if ((error as { name?: string } | null)?.name === 'KnexTimeoutError') return databaseBusy()

  // body parser: malformed JSON, unsupported encodings
  if (
    e.status === 400 ||
    (e.message && /Unexpected token|JSON/.test(e.message) && e.status && e.status < 500)
  ) {
    return one(400, 'MALFORMED_BODY', 'The request body is not valid JSON')
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return one(
      e.status,
      e.code?.replace(/^E_/, '') ?? 'REQUEST_ERROR',
      e.message ?? titleFor(e.status)
    )
  }
  return one(500, 'INTERNAL_ERROR', 'Something went wrong on our side; it has been logged')
}
