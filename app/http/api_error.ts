import { Exception } from '@adonisjs/core/exceptions'

export type ErrorObject = {
  status: string
  code: string
  title: string
  detail?: string
  source?: { pointer?: string; parameter?: string; header?: string }
  meta?: Record<string, unknown>
}

/*
 * An error a client can act on. Thrown anywhere, rendered by the exception
 * handler as `{"errors": [...]}` with this status and code.
 */
export class ApiError extends Exception {
  declare status: number
  declare code: string
  pointer?: string
  parameter?: string
  meta?: Record<string, unknown>
  headers?: Record<string, string>

  constructor(
    status: number,
    code: string,
    detail: string,
    options: {
      pointer?: string
      meta?: Record<string, unknown>
      headers?: Record<string, string>
    } = {}
  ) {
    super(detail, { status, code })
    this.pointer = options.pointer
    this.meta = options.meta
    this.headers = options.headers
  }

  static notFound(what = 'Resource') {
    return new ApiError(404, 'NOT_FOUND', `${what} not found`)
  }

  static conflict(code: string, detail: string, meta?: Record<string, unknown>) {
    return new ApiError(409, code, detail, { meta })
  }

  static validation(pointerField: string, detail: string) {
    return new ApiError(422, 'VALIDATION_ERROR', detail, {
      pointer: `/data/attributes/${pointerField}`,
    })
  }

  toErrorObject(): ErrorObject {
    return {
      status: String(this.status),
      code: this.code,
      title: titleFor(this.status),
      detail: this.message,
      ...(this.pointer ? { source: { pointer: this.pointer } } : {}),
      ...(this.parameter ? { source: { parameter: this.parameter } } : {}),
      ...(this.meta ? { meta: this.meta } : {}),
    }
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  423: 'Locked',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
}

export function titleFor(status: number) {
  return TITLES[status] ?? (status >= 500 ? 'Server error' : 'Request error')
}
