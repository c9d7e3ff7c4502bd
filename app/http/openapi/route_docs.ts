import { Route } from '@adonisjs/core/http'
import type { VineValidator } from '@vinejs/vine'
import { hasPermission } from '#abilities/main'
import { middleware } from '#start/kernel'

/*
 * What an API route accepts and answers, declared once beside the route:
 * the same validators that check requests build /api/v1/openapi.json, and the
 * permission named here is the one the route enforces.
 */
export type RouteDoc = {
  summary: string
  tag: string
  /* validator of `data.attributes` (or a flat body) */
  body?: VineValidator<any, any>
  /* the resource type this route answers with, for the response schema */
  resource?: string
  list?: boolean
  /* permission checked with bouncer before the handler runs */
  permission?: string
  /* false for the few public routes (signup, token exchange) */
  auth?: boolean
  /* status of a successful answer; defaults to 200 (say 201 for a create) */
  status?: number
  /* extra documented error statuses, besides the defaults */
  errors?: number[]
  /* JSON Schema of the answer when it is not the data envelope (e.g. the OpenAPI document itself) */
  schema?: Record<string, unknown>
}

export const routeDocs = new WeakMap<Route, RouteDoc>()

/*
 * Matcher for numeric `:id` params: at most 15 digits, so the id is an exact
 * JS number and fits a bigint column. A longer one is a 404 like any unknown
 * id, instead of a database range error (PostgreSQL) on one database only.
 */
export const idParam = { match: /^[0-9]{1,15}$/, cast: (value: string) => Number(value) }

/* The router drops its Route objects when it commits; the OpenAPI document still needs them. */
export const describedRoutes: Route[] = []

declare module '@adonisjs/core/http' {
  interface Route {
    describe(doc: RouteDoc): this
  }
}

Route.macro('describe', function (this: Route, doc: RouteDoc) {
  routeDocs.set(this, doc)
  describedRoutes.push(this)
  if (doc.permission) {
    this.use(async (ctx, next) => {
      await ctx.bouncer.authorize(hasPermission, doc.permission!)
      return next()
    })
  }
  // route middleware run after the group's (auth, rate limit) and the permission check above
  if (this.toJSON().methods.includes('POST')) this.use(middleware.idempotency())
  return this
})
