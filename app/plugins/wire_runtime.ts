import db from '@adonisjs/lucid/services/db'
import { jobs } from '#jobs/jobs'
import { defineJob, type DispatchOptions } from '#jobs/define_job'
import { events, type EventDefinition, type PublishInput } from '#events/events'
import { tenantContext } from '#tenancy/tenant_context'
import { bindCapability } from '#plugins/capabilities'
import { enabledPlugins } from '#plugins/enabled_plugins'
import { useKernelEventPublisher } from '#plugins/kernel_events'
import type { PluginRegistry } from '#plugins/registry'

/* Fires a plugin's schedule: one run of its job per tenant that has the plugin enabled. */
export const SCHEDULE_FANOUT_JOB = 'plugins.schedule.fanout'

type FanoutPayload = { plugin: string; job: string; schedule: string; payload: unknown }

const PLUGIN_EVENT_SCHEMA = {
  type: 'object',
  required: ['plugin', 'version'],
  properties: { plugin: { type: 'string' }, version: { type: 'string' } },
}

/*
 * May this owner's job or subscriber run for this tenant? Kernel work always;
 * a plugin's only for tenants that enabled it. Platform-wide runs (no tenant)
 * are the plugin's own business (schedules fan out per tenant, see above).
 */
export function pluginRuntimeGate(registry: PluginRegistry) {
  return (subject: { owner: string; tenantId: number | null }) => {
    if (subject.tenantId === null || !registry.has(subject.owner)) return true
    return enabledPlugins.isEnabled(subject.tenantId, subject.owner)
  }
}

/* Inside a tenant's request or job, a plugin acts for that tenant only. */
function sameTenant(pluginId: string, tenantId: number | null | undefined) {
  const current = tenantContext.tenantId
  if (current !== null && tenantId !== undefined && tenantId !== current) {
    throw new Error(
      `Plugin "${pluginId}" may not act for tenant ${tenantId} from tenant ${current}`
    )
  }
}

function ownName(pluginId: string, name: string, what: string) {
  if (!name.startsWith(`${pluginId}.`)) {
    throw new Error(
      `Plugin "${pluginId}" may only ${what} its own names ("${pluginId}.*"), not "${name}"`
    )
  }
}

/*
 * Hands each plugin's jobs, schedules and subscribers to JOBS and EVENTS under
 * owner = plugin id (dependency order), installs the gates that keep a
 * disabled plugin's work from running for a tenant, and binds the capabilities
 * backed by those services.
 */
export function wireRuntime(registry: PluginRegistry) {
  for (const name of ['kernel.plugin.enabled', 'kernel.plugin.disabled']) {
    if (!events.definition(name)) events.define({ name, version: 1, schema: PLUGIN_EVENT_SCHEMA })
  }
  useKernelEventPublisher((event, trx) => events.publish(event, trx))

  bindCapability('events.publish', (plugin) => ({
    define(definition: EventDefinition) {
      ownName(plugin.id, definition.name, 'define events under')
      return events.definition(definition.name, definition.version) ?? events.define(definition)
    },
    publish(input: PublishInput, trx) {
      ownName(plugin.id, input.name, 'publish events under')
      sameTenant(plugin.id, input.tenantId)
      return events.publish(input, trx)
    },
  }))
  bindCapability('jobs.dispatch', (plugin) => ({
    dispatch(name: string, payload: unknown, options?: DispatchOptions) {
      ownName(plugin.id, name, 'dispatch jobs under')
      sameTenant(plugin.id, options?.tenantId)
      return jobs.dispatch(name, payload, options)
    },
  }))

  if (!jobs.get(SCHEDULE_FANOUT_JOB)) {
    jobs.register(
      defineJob<FanoutPayload>({
        name: SCHEDULE_FANOUT_JOB,
        owner: 'kernel',
        async handle(payload) {
          const rows = await db
            .from('tenant_plugins')
            .where({ plugin_id: payload.plugin, enabled: true })
            .select('tenant_id')
          for (const row of rows) {
            await jobs.dispatch(payload.job, payload.payload ?? {}, { tenantId: row.tenant_id })
          }
        },
      })
    )
  }

  for (const plugin of registry.all()) {
    const { manifest, context } = plugin
    for (const job of manifest.jobs ?? []) {
      jobs.register(
        defineJob({
          name: job.name,
          owner: plugin.id,
          attempts: job.attempts,
          backoff: job.backoff,
          handle: (payload, ctx) => job.handle(payload, { ...ctx, plugin: context }),
        })
      )
    }
    for (const schedule of manifest.schedules ?? []) {
      jobs.schedule({
        key: schedule.key,
        cron: schedule.cron,
        job: SCHEDULE_FANOUT_JOB,
        owner: plugin.id,
        payload: {
          plugin: plugin.id,
          job: schedule.job,
          schedule: schedule.key,
          payload: schedule.payload ?? {},
        } satisfies FanoutPayload,
      })
    }
    for (const subscriber of manifest.subscribers ?? []) {
      if (events.subscriber(subscriber.name)) continue
      events.subscribe(
        subscriber.pattern,
        (event) => subscriber.handle(event as any, { plugin: context }),
        { name: subscriber.name, owner: plugin.id, queued: subscriber.queued }
      )
    }
  }

  installRuntimeGates(registry)
}

/* The gates that keep a disabled plugin's jobs and subscribers from running for a tenant. */
export function installRuntimeGates(registry: PluginRegistry) {
  const gate = pluginRuntimeGate(registry)
  jobs.setGate(gate)
  events.setGate(gate)
}
