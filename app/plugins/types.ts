import type { Router } from '@adonisjs/core/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { DependencyContainer } from 'tsyringe'
import type { SystemRoleKey } from '#rbac/permission_registry'
import type { DomainEvent, EventDefinition, PublishInput } from '#events/events'
import type { DispatchOptions } from '#jobs/define_job'
import type { LedgerPoster } from '#plugins/bind_ledger_capability'
import type { UploadLimits } from '#http/uploads'

/*
 * The plugin manifest: what `definePlugin({...})` takes. Section 4 of
 * PLATFORM.md is the contract; the kernel validates every field at boot
 * (see validate_manifest.ts) and names the plugin and the field on a mistake.
 */

/* Kernel services a plugin may ask for. Other kernel modules add theirs by declaration merging. */
export interface CapabilityServices {
  'settings.read': SettingsReader
  'http.outbound': OutboundFetch
  'ledger.post': LedgerPoster
  'events.publish': EventPublisher
  'jobs.dispatch': JobDispatcher
}

/* events.publish: events named "<plugin id>.*", written in the caller's transaction. */
export type EventPublisher = {
  /* declares one of the plugin's event types ("<plugin id>.<entity>.<verb>") */
  define(definition: EventDefinition): EventDefinition
  publish(input: PublishInput, trx?: TransactionClientContract): Promise<DomainEvent>
}

/* jobs.dispatch: the plugin's own jobs ("<plugin id>.*"); returns the job id. */
export type JobDispatcher = {
  dispatch(name: string, payload: unknown, options?: DispatchOptions): Promise<string>
}

export type CapabilityName = keyof CapabilityServices

export type CapabilityDeclaration =
  | CapabilityName
  /* outbound HTTP is allowed to the named hosts only ("api.example.com", "*.example.com") */
  | { name: 'http.outbound'; hosts: string[] }

/* settings.read: the current tenant's settings of the plugin, secrets decrypted. */
export type SettingsReader = {
  /* pass `trx` when reading inside a transaction (SQLite has a single connection) */
  get(options?: { trx?: TransactionClientContract }): Promise<Record<string, unknown>>
}

/* http.outbound: fetch restricted to the manifest's hosts. */
export type OutboundFetch = (input: string | URL, init?: RequestInit) => Promise<Response>

/*
 * What the plugin's code receives: its id and version, the kernel services of
 * its declared capabilities (`use`), and its own tsyringe container.
 */
export interface PluginContext {
  readonly id: string
  readonly version: string
  /* the kernel service of a declared capability; undeclared → UndeclaredCapabilityError */
  use<K extends CapabilityName>(capability: K): CapabilityServices[K]
  /* a child container holding only the declared kernel services and the plugin's own */
  readonly container: DependencyContainer
}

export type PluginPermission = {
  /* must start with "<plugin id>." */
  key: string
  description: string
  /* built-in roles that get it by default (owner holds every permission) */
  roles?: Exclude<SystemRoleKey, 'owner'>[]
}

/* What a page's server-side `props` loader receives. */
export type PluginPageContext = {
  tenantId: number
  userId: number
  permissions: ReadonlySet<string>
  params: Record<string, any>
  query: Record<string, any>
  plugin: PluginContext
}

export type PluginPage = {
  /* path under /app/<id>/ ("/" for the plugin's home) */
  path: string
  /* the Vue page file in the plugin's pages folder, without ".vue" */
  component: string
  title: string
  permission?: string
  /* server-side props of the page, run in the tenant's context */
  props?: (ctx: PluginPageContext) => Promise<Record<string, unknown>> | Record<string, unknown>
}

/* What a page action's handler receives: the page context plus the posted form. */
export type PluginActionContext = PluginPageContext & {
  /* the request body (an Inertia form post); validate it with the plugin's validators */
  body: Record<string, unknown>
  /* with the action's `upload`: the file received, on local disk until the handler returns */
  file?: { path: string; clientName: string; size: number }
}

/*
 * Where an action sends the browser back (a path under /app/<id>/, else the
 * page it came from) and a notice to show; or a file to download instead.
 */
export type PluginActionResult = {
  redirectTo?: string
  notice?: string
  file?: { body: Uint8Array | string; contentType: string; filename: string; inline?: boolean }
}

/*
 * A form post (or file link) of the plugin's pages (/app/<id><path>), behind the staff
 * session with CSRF checked: the tenant must have the plugin enabled (404) and
 * the user must hold `permission` (403). An ApiError below 500 (other than
 * 404) goes back to the page as a form error on the field its pointer names;
 * a VineJS validation error goes back with the errors per field.
 */
export type PluginPageAction = {
  /* path under /app/<id>/ ("/invoices/:id/send") */
  path: string
  /* 'post' (default) for a form; 'get' for a link to a file (a PDF, a CSV) */
  method?: 'get' | 'post'
  permission: string
  /*
   * a form with a file (multipart): the field, its size limit ("50mb", beyond the
   * bodyparser's 20 MB) and extensions; the file is streamed to disk and handed over as `file`
   */
  upload?: UploadLimits
  handle(ctx: PluginActionContext): Promise<PluginActionResult | void> | PluginActionResult | void
}

export type PluginNavItem = {
  label: string
  /* path under /app/<id>/ */
  path: string
  permission?: string
  icon?: string
  order?: number
}

export type PluginJobContext = {
  tenantId: number | null
  attempt: number
  jobId: string
  plugin: PluginContext
}

export type PluginJob<Payload = any> = {
  /* stable name, "<plugin id>.<job>" */
  name: string
  attempts?: number
  /* exponential base in ms, or explicit delays in ms */
  backoff?: number | number[]
  handle(payload: Payload, ctx: PluginJobContext): Promise<void> | void
}

export type PluginSchedule = {
  /* stable key, "<plugin id>.<schedule>" */
  key: string
  cron: string
  /* name of one of the plugin's jobs */
  job: string
  payload?: Record<string, unknown>
}

export type PluginEvent = {
  name: string
  tenantId: number | null
  payload: any
  [key: string]: unknown
}

export type PluginSubscriber = {
  /* stable name, "<plugin id>.<subscriber>" */
  name: string
  /* event name or pattern ("ledger.entry.*") */
  pattern: string
  queued?: boolean
  handle(event: PluginEvent, ctx: { plugin: PluginContext }): Promise<void> | void
}

export type UninstallMode = 'keep' | 'export' | 'purge'

/*
 * Demo data the plugin adds to a tenant that has it enabled (`npm start`, the
 * demo seeder). Runs in the tenant's context, after the demo hooks of the
 * plugins it requires; must be idempotent (run again, it adds nothing) and go
 * through the plugin's own services.
 */
export type PluginDemoHook = (tenant: { id: number }, plugin: PluginContext) => Promise<void> | void

export type PluginHooks = {
  /* platform-wide, after the plugin's migrations ran for the first time */
  install?(plugin: PluginContext): Promise<void> | void
  /* in the transaction that switches the plugin on for the tenant */
  enable?(
    tenant: { id: number },
    plugin: PluginContext,
    trx: TransactionClientContract
  ): Promise<void> | void
  disable?(
    tenant: { id: number },
    plugin: PluginContext,
    trx: TransactionClientContract
  ): Promise<void> | void
  /* platform-wide, before the kernel keeps, exports or purges the plugin's data */
  uninstall?(plugin: PluginContext, mode: UninstallMode): Promise<void> | void
}

/* JSON Schema of the settings; a property with `"secret": true` is encrypted at rest and masked on read. */
export type SettingsSchema = Record<string, unknown> & { type?: 'object' }

export type PluginManifest = {
  /* kebab-case, unique */
  id: string
  name: string
  /* semver */
  version: string
  description?: string
  requires?: { kernel?: string; plugins?: Record<string, string> }
  permissions?: PluginPermission[]
  capabilities?: CapabilityDeclaration[]
  /* API routes, mounted under /api/v1/<id>/ with auth, rate limit and the plugin gate */
  routes?: (router: Router, plugin: PluginContext) => void
  /*
   * Routes a tenant's own customers use without logging in (an online booking
   * page), mounted under /p/:tenant/<id>/ (`:tenant` is the tenant's slug) with
   * the web session and CSRF, a per-IP rate limit, and a gate: an unknown
   * tenant, or one that has not enabled the plugin, gets a 404; handlers run in
   * the tenant's context with `ctx.publicTenant` set.
   */
  publicRoutes?: (router: Router, plugin: PluginContext) => void
  /* migrations folder, relative to the plugin's root (the folder of its plugin.ts / package.json) */
  migrations?: string
  pages?: PluginPage[]
  /* form posts of the pages, mounted under /app/<id>/ */
  actions?: PluginPageAction[]
  nav?: PluginNavItem[]
  jobs?: PluginJob[]
  schedules?: PluginSchedule[]
  subscribers?: PluginSubscriber[]
  settings?: SettingsSchema
  hooks?: PluginHooks
  /* demo data for a tenant that has the plugin enabled (see PluginDemoHook) */
  demo?: PluginDemoHook
}

export const PLUGIN_BRAND = Symbol.for('plinth.plugin')

/* What definePlugin returns: the manifest, branded so the loader can tell it from anything else. */
export type PluginDefinition = Readonly<PluginManifest> & { readonly [PLUGIN_BRAND]: true }
