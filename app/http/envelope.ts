import type { HttpContext } from '@adonisjs/core/http'
import type { VineValidator } from '@vinejs/vine'
import type { Infer, SchemaTypes } from '@vinejs/vine/types'
import { ApiError } from '#http/api_error'

/*
 * The response shape of every API endpoint:
 * {"data": {"type", "id", "attributes"}, "meta"?, "links"?}
 */
export type ResourceObject = { type: string; id: string; attributes: Record<string, unknown> }

export function resource(
  type: string,
  id: string | number,
  attributes: Record<string, unknown>
): ResourceObject {
  return { type, id: String(id), attributes }
}

export function single(data: ResourceObject, meta?: Record<string, unknown>) {
  return meta ? { data, meta } : { data }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value)

/*
 * Reads the request attributes: `{"data": {"attributes": {...}}}` or a flat
 * object. A top-level `data` is always the envelope, so a broken one is a 422
 * rather than a body read as empty (a PATCH would "succeed" changing nothing).
 */
export function requestAttributes(ctx: HttpContext): Record<string, unknown> {
  const body = ctx.request.body()
  if (!isObject(body))
    throw new ApiError(422, 'VALIDATION_ERROR', 'The request body must be a JSON object')
  if (!('data' in body)) return withoutNul(body)
  const data = body.data
  if (!isObject(data) || !isObject(data.attributes)) {
    throw new ApiError(
      422,
      'VALIDATION_ERROR',
      'Send the attributes as {"data": {"attributes": {...}}}, or as a flat object',
      {
        pointer: '/data/attributes',
      }
    )
  }
  return withoutNul(data.attributes)
}

/* Where a NUL character hides in a value, as a JSON pointer suffix. */
function nulAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulAt(item, `${path}/${index}`)
      if (found !== null) return found
    }
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes('\u0000') ? path : nulAt(item, `${path}/${key}`)
      if (found !== null) return found
    }
  }
  return null
}

/* PostgreSQL refuses NUL in text and SQLite cuts strings at it: no field may hold one, on either database. */
function withoutNul(attributes: Record<string, unknown>) {
  const at = nulAt(attributes, '/data/attributes')
  if (at !== null)
    throw new ApiError(422, 'VALIDATION_ERROR', 'Text must not contain NUL (\\u0000) characters', {
      pointer: at,
    })
  return attributes
}

/* Top-level attributes a validator accepts as null (declared `.nullable()`), computed once per validator. */
const nullableAttributes = new WeakMap<VineValidator<any, any>, Set<string>>()

function nullableIn(validator: VineValidator<any, any>) {
  let names = nullableAttributes.get(validator)
  if (!names) {
    const schema = validator.toJSONSchema() as { properties?: Record<string, any> }
    names = new Set(
      Object.entries(schema.properties ?? {})
        .filter(([, property]) => acceptsNull(property))
        .map(([name]) => name)
    )
    nullableAttributes.set(validator, names)
  }
  return names
}

const acceptsNull = (property: any): boolean =>
  property?.type === 'null' ||
  (Array.isArray(property?.type) && property.type.includes('null')) ||
  (Array.isArray(property?.anyOf) && property.anyOf.some(acceptsNull)) ||
  (Array.isArray(property?.oneOf) && property.oneOf.some(acceptsNull))

/*
 * Validates the request attributes; errors point at `/data/attributes/<field>`.
 * VineJS reads null as "absent" on optional fields, so a PATCH sending
 * `"name": null` would answer 200 and change nothing: null is refused unless
 * the field is declared nullable.
 */
export function validateAttributes<Schema extends SchemaTypes>(
  ctx: HttpContext,
  validator: VineValidator<Schema, any>,
  meta?: Record<string, unknown>
): Promise<Infer<Schema>> {
  const attributes = requestAttributes(ctx)
  const nullable = nullableIn(validator)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null && !nullable.has(name)) {
      throw ApiError.validation(name, `The ${name} field cannot be null`)
    }
  }
  return validator.validate(attributes, meta ? { meta } : ({} as any))
}
