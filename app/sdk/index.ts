/*
 * #plinth — the public SDK: the only kernel module a plugin imports. Its
 * surface is versioned by KERNEL_VERSION (semver); a plugin states the range it
 * was built for in `requires.kernel`, checked at boot.
 *
 * How plugins reach it:
 * - first-party plugins (plugins/<id>/) and test fixtures: `import { definePlugin } from '#plinth'`;
 * - third-party npm plugins: `import { definePlugin } from '@plinth/sdk'`. That is
 *   the workspace package packages/sdk (the app depends on it with `file:`), a
 *   re-export of this file: same module instance, same TenantScopedModel and
 *   tenant context. Such a plugin lists `@plinth/sdk`, `@adonisjs/core`,
 *   `@adonisjs/lucid` and `@vinejs/vine` as peerDependencies and imports those
 *   directly; it never imports other kernel paths. Its package entry (`exports`
 *   ".") default-exports the result of definePlugin().
 *
 * Everything else in app/ is kernel-private and may change in any release.
 */
import type {} from '#http/openapi/route_docs'

export { KERNEL_VERSION } from '#plugins/kernel_version'
export { definePlugin } from '#plugins/define_plugin'
export type {
  CapabilityDeclaration,
  CapabilityName,
  CapabilityServices,
  EventPublisher,
  JobDispatcher,
  OutboundFetch,
  PluginContext,
  PluginDefinition,
  PluginDemoHook,
  PluginEvent,
  PluginHooks,
  PluginJob,
  PluginJobContext,
  PluginManifest,
  PluginNavItem,
  PluginActionContext,
  PluginActionResult,
  PluginPage,
  PluginPageAction,
  PluginPageContext,
  PluginPermission,
  PluginSchedule,
  PluginSubscriber,
  SettingsReader,
  SettingsSchema,
  UninstallMode,
} from '#plugins/types'
export { UndeclaredCapabilityError, CapabilityUnavailableError } from '#plugins/capabilities'
export { OutboundHostNotAllowedError } from '#plugins/outbound_fetch'
export type { LedgerPoster } from '#plugins/bind_ledger_capability'

/* data: tenant-owned models and the current tenant */
export { TenantScopedModel } from '#tenancy/tenant_scoped_model'
export { tenantContext } from '#tenancy/tenant_context'

/* HTTP conventions: envelope, errors, list parameters, audit */
export {
  resource,
  single,
  requestAttributes,
  validateAttributes,
  type ResourceObject,
} from '#http/envelope'
export { ApiError } from '#http/api_error'
export { paginate, type ListSpec } from '#http/list_query'
export { audit, type AuditInput } from '#audit/audit_log'
export type { RouteDoc } from '#http/openapi/route_docs'
/* large files: a multipart field streamed to disk with a size and type limit (page actions: `upload`) */
export { receiveUpload, type UploadLimits, type ReceivedUpload } from '#http/uploads'

/* domain events: a plugin declares the events it publishes (names "<plugin id>.<entity>.<verb>") */
export { defineEvent, type EventDefinition } from '#events/define_event'

/* per-tenant plugin state, for plugins that use other plugins' contributions */
export { isPluginEnabled } from './plugin_state.js'
export { isTeamMember, teamMembers } from '#tenancy/team'

/* money: ISO 4217 currencies with their exponent, exact minor units (bigint) */
export { isCurrency, currencyExponent } from '#ledger/currencies'
export { formatMinor, parseMinorUnits, toBigInt } from '#ledger/money'

/* public routes (manifest `publicRoutes`): the tenant a page serves, the URL prefix, named rate limits */
export type { PublicTenant } from '#plugins/public_routes'
export { publicPageUrl } from '#plugins/web/page_url'
export { consumeRateLimit } from '#start/limiter'
