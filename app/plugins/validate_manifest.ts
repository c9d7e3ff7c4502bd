import type { ErrorObject, ValidateFunction } from 'ajv'
import { createAjv } from '#plugins/ajv'
import { KNOWN_CAPABILITIES } from '#plugins/capabilities'
import { SYSTEM_ROLES } from '#rbac/permission_registry'
import type { PluginManifest } from '#plugins/types'

export const PLUGIN_ID_PATTERN = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'
/* first path segments of the kernel's API (/api/v1/<x>) and pages (/app/<x>): a plugin mounted there would shadow them */
export const RESERVED_PLUGIN_IDS = [
  'plugins',
  'auth',
  'me',
  'tenant',
  'tenants',
  'roles',
  'members',
  'audit-log',
  'signup',
  'invitations',
  'ledger',
  'webhooks',
  'webhook-deliveries',
  'security',
  'jobs',
  'events',
  'kernel',
  'openapi',
  'api',
  'app',
]
const DOTTED_KEY = '^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+$'
const fn = { isFunction: true }
const text = (maxLength = 200) => ({ type: 'string', minLength: 1, maxLength })
const appPath = { type: 'string', pattern: '^/[A-Za-z0-9/_:.-]*$', maxLength: 200 }

const manifestSchema = {
  type: 'object',
  required: ['id', 'name', 'version'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: PLUGIN_ID_PATTERN, maxLength: 50 },
    name: text(100),
    version: { type: 'string', format: 'semver' },
    description: { type: 'string', maxLength: 1000 },
    requires: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kernel: { type: 'string', format: 'semver-range' },
        plugins: {
          type: 'object',
          propertyNames: { pattern: PLUGIN_ID_PATTERN },
          additionalProperties: { type: 'string', format: 'semver-range' },
        },
      },
    },
    permissions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'description'],
        additionalProperties: false,
        properties: {
          key: { type: 'string', pattern: DOTTED_KEY, maxLength: 100 },
          description: text(),
          roles: {
            type: 'array',
            uniqueItems: true,
            items: { enum: SYSTEM_ROLES.map((role) => role.key).filter((key) => key !== 'owner') },
          },
        },
      },
    },
    capabilities: {
      type: 'array',
      items: {
        anyOf: [
          { enum: [...KNOWN_CAPABILITIES] },
          {
            type: 'object',
            required: ['name', 'hosts'],
            additionalProperties: false,
            properties: {
              name: { const: 'http.outbound' },
              hosts: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'string',
                  pattern: '^(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?$',
                },
              },
            },
          },
        ],
      },
    },
    routes: fn,
    publicRoutes: fn,
    migrations: { type: 'string', pattern: '^[^/\\\\][^\\\\]*$', maxLength: 200 },
    pages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'component', 'title'],
        additionalProperties: false,
        properties: {
          path: appPath,
          component: { type: 'string', pattern: '^[A-Za-z0-9_/-]+$', maxLength: 200 },
          title: text(100),
          permission: { type: 'string', pattern: DOTTED_KEY },
          props: fn,
        },
      },
    },
    actions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'permission', 'handle'],
        additionalProperties: false,
        properties: {
          path: appPath,
          method: { enum: ['get', 'post'] },
          permission: { type: 'string', pattern: DOTTED_KEY },
          upload: {
            type: 'object',
            required: ['field', 'size', 'extnames'],
            additionalProperties: false,
            properties: {
              field: { type: 'string', pattern: '^[A-Za-z0-9_]{1,60}$' },
              size: { type: 'string', pattern: '^[0-9]{1,6}(kb|mb)$' },
              extnames: {
                type: 'array',
                minItems: 1,
                items: { type: 'string', pattern: '^[a-z0-9]{1,10}$' },
              },
            },
          },
          handle: fn,
        },
      },
    },
    nav: {
      type: 'array',
      items: {
        type: 'object',
        required: ['label', 'path'],
        additionalProperties: false,
        properties: {
          label: text(60),
          path: appPath,
          permission: { type: 'string', pattern: DOTTED_KEY },
          icon: { type: 'string', maxLength: 60 },
          order: { type: 'integer' },
        },
      },
    },
    jobs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'handle'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: DOTTED_KEY },
          attempts: { type: 'integer', minimum: 1, maximum: 100 },
          backoff: {
            anyOf: [
              { type: 'integer', minimum: 0 },
              { type: 'array', items: { type: 'integer', minimum: 0 } },
            ],
          },
          handle: fn,
        },
      },
    },
    schedules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'cron', 'job'],
        additionalProperties: false,
        properties: {
          key: { type: 'string', pattern: DOTTED_KEY },
          cron: text(100),
          job: { type: 'string', pattern: DOTTED_KEY },
          payload: { type: 'object' },
        },
      },
    },
    subscribers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'pattern', 'handle'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: DOTTED_KEY },
          pattern: { type: 'string', pattern: '^[a-z0-9_*-]+(\\.[a-z0-9_*-]+)*$' },
          queued: { type: 'boolean' },
          handle: fn,
        },
      },
    },
    settings: { type: 'object' },
    hooks: {
      type: 'object',
      additionalProperties: false,
      properties: { install: fn, enable: fn, disable: fn, uninstall: fn },
    },
    demo: fn,
  },
}

let validateFn: ValidateFunction | undefined
const settingsAjv = createAjv()

/* One mistake in a manifest: the JSON pointer of the field and what is wrong. */
export type ManifestProblem = { pointer: string; message: string }

export class PluginManifestError extends Error {
  constructor(
    readonly plugin: string,
    readonly source: string,
    readonly problems: ManifestProblem[]
  ) {
    super(
      `Plugin "${plugin}" (${source}) has an invalid manifest:\n` +
        problems.map((problem) => `  ${problem.pointer || '/'}: ${problem.message}`).join('\n')
    )
    this.name = 'PluginManifestError'
  }
}

function describe(error: ErrorObject): ManifestProblem {
  const params = error.params as Record<string, unknown>
  let message = error.message ?? 'is invalid'
  if (error.keyword === 'additionalProperties') {
    message = `unknown field "${params.additionalProperty}"`
    return { pointer: `${error.instancePath}/${params.additionalProperty}`, message }
  }
  if (error.keyword === 'required') {
    return {
      pointer: `${error.instancePath}/${params.missingProperty}`,
      message: 'is required',
    }
  }
  if (error.keyword === 'enum') message += `: ${(params.allowedValues as unknown[]).join(', ')}`
  return { pointer: error.instancePath, message }
}

/* ajv reports every branch of an anyOf; keep one line per field. */
function problemsOf(errors: ErrorObject[]): ManifestProblem[] {
  const byPointer = new Map<string, ManifestProblem>()
  for (const error of errors) {
    const problem = describe(error)
    if (error.keyword === 'anyOf') {
      problem.message = 'is not one of the accepted forms'
      if (error.instancePath.startsWith('/capabilities/')) {
        problem.message = `is not a capability the kernel knows (${KNOWN_CAPABILITIES.join(', ')}; http.outbound as {name, hosts})`
      }
      byPointer.set(problem.pointer, problem)
    } else if (!byPointer.has(problem.pointer)) {
      byPointer.set(problem.pointer, problem)
    }
  }
  return [...byPointer.values()]
}

/*
 * Checks a manifest on its own (the registry checks what spans plugins:
 * clashes, dependencies). Throws PluginManifestError listing every problem.
 */
export function validateManifest(manifest: unknown, source: string): PluginManifest {
  validateFn ??= createAjv().compile(manifestSchema)
  const label =
    manifest && typeof (manifest as any).id === 'string' ? (manifest as any).id : '(no id)'
  if (!validateFn(manifest)) {
    // functions and the brand symbol are not JSON: ajv sees them only through isFunction
    throw new PluginManifestError(label, source, problemsOf(validateFn.errors ?? []))
  }
  const plugin = manifest as PluginManifest
  const problems: ManifestProblem[] = []
  if (RESERVED_PLUGIN_IDS.includes(plugin.id))
    problems.push({ pointer: '/id', message: `"${plugin.id}" is reserved by the kernel` })
  const prefix = `${plugin.id}.`
  const own = (pointer: string, key: string, what: string) => {
    if (!key.startsWith(prefix))
      problems.push({ pointer, message: `${what} "${key}" must start with "${prefix}"` })
  }
  const seen = (items: string[], pointer: (index: number) => string, what: string) => {
    items.forEach((item, index) => {
      if (items.indexOf(item) !== index)
        problems.push({ pointer: pointer(index), message: `duplicate ${what} "${item}"` })
    })
  }
  plugin.permissions?.forEach((permission, index) =>
    own(`/permissions/${index}/key`, permission.key, 'permission')
  )
  seen(
    (plugin.permissions ?? []).map((permission) => permission.key),
    (index) => `/permissions/${index}/key`,
    'permission'
  )
  plugin.jobs?.forEach((job, index) => own(`/jobs/${index}/name`, job.name, 'job name'))
  seen(
    (plugin.jobs ?? []).map((job) => job.name),
    (index) => `/jobs/${index}/name`,
    'job'
  )
  plugin.schedules?.forEach((schedule, index) => {
    own(`/schedules/${index}/key`, schedule.key, 'schedule key')
    if (!plugin.jobs?.some((job) => job.name === schedule.job))
      problems.push({
        pointer: `/schedules/${index}/job`,
        message: `names no job of this plugin ("${schedule.job}")`,
      })
  })
  plugin.subscribers?.forEach((subscriber, index) =>
    own(`/subscribers/${index}/name`, subscriber.name, 'subscriber name')
  )
  const capabilityNames = (plugin.capabilities ?? []).map((capability) =>
    typeof capability === 'string' ? capability : capability.name
  )
  seen(capabilityNames, (index) => `/capabilities/${index}`, 'capability')
  plugin.capabilities?.forEach((capability, index) => {
    if (capability === 'http.outbound')
      problems.push({
        pointer: `/capabilities/${index}`,
        message: 'http.outbound needs its hosts: {"name": "http.outbound", "hosts": [...]}',
      })
  })
  if (plugin.requires?.plugins && plugin.id in plugin.requires.plugins) {
    problems.push({
      pointer: `/requires/plugins/${plugin.id}`,
      message: 'a plugin cannot require itself',
    })
  }
  if (plugin.settings) {
    if (plugin.settings.type !== 'object') {
      problems.push({
        pointer: '/settings/type',
        message: 'the settings schema must be of type "object"',
      })
    } else {
      try {
        settingsAjv.compile(plugin.settings)
      } catch (error) {
        problems.push({
          pointer: '/settings',
          message: `is not a valid JSON Schema: ${(error as Error).message}`,
        })
      }
    }
  }
  if (problems.length) throw new PluginManifestError(plugin.id, source, problems)
  return plugin
}
