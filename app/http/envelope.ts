import type { HttpContext } from '@adonisjs/core/http'
import type { VineValidator } from '@vinejs/vine'
import type { Infer, SchemaTypes } from '@vinejs/vine/types'

/*
 * The response shape of every API endpoint:
 * {"data": {"type", "id", "attributes"}, "meta"?, "links"?}
 */
export type ResourceObject = { type: string; id: string; attributes: Record<string, unknown> }

export function resource(type: string, id: string | number, attributes: Record<string, unknown>): ResourceObject {
  return { type, id: String(id), attributes }
}

export function single(data: ResourceObject, meta?: Record<string, unknown>) {
  return meta ? { data, meta } : { data }
}

/* Reads the request attributes: `{"data": {"attributes": {...}}}` or a flat object. */
export function requestAttributes(ctx: HttpContext): Record<string, unknown> {
  const body = ctx.request.body()
  const data = body?.data
  if (data && typeof data === 'object' && !Array.isArray(data) && 'attributes' in data) {
    const attributes = (data as Record<string, unknown>).attributes
    return attributes && typeof attributes === 'object' && !Array.isArray(attributes)
      ? (attributes as Record<string, unknown>)
      : {}
  }
  return body ?? {}
}

/* Validates the request attributes; errors point at `/data/attributes/<field>`. */
export function validateAttributes<Schema extends SchemaTypes>(
  ctx: HttpContext,
  validator: VineValidator<Schema, any>,
  meta?: Record<string, unknown>
): Promise<Infer<Schema>> {
  return validator.validate(requestAttributes(ctx), meta ? { meta } : ({} as any))
}
