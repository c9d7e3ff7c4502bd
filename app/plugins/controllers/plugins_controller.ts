import type { HttpContext } from '@adonisjs/core/http'
import { requestAttributes, resource, single, validateAttributes } from '#http/envelope'
import { plugins } from '#plugins/main'
import TenantPlugin from '#plugins/models/tenant_plugin'
import PluginInstallation from '#plugins/models/plugin_installation'
import { pluginResource } from '#plugins/plugin_resource'
import { disablePlugin, enablePlugin, findPlugin } from '#plugins/switch_plugin'
import { savePluginSettings } from '#plugins/save_plugin_settings'
import { maskSettings, secretKeysOf, settingsSchemaOf } from '#plugins/plugin_settings'
import { enablePluginValidator } from '#plugins/validators/plugin_validators'

async function stateOf(ids: string[]) {
  const [rows, installations] = await Promise.all([
    TenantPlugin.query().whereIn('plugin_id', ids),
    PluginInstallation.query().whereIn('plugin_id', ids),
  ])
  return {
    rows: new Map(rows.map((row) => [row.pluginId, row])),
    installations: new Map(installations.map((row) => [row.pluginId, row])),
  }
}

async function show(id: string) {
  const plugin = findPlugin(id)
  const { rows, installations } = await stateOf([id])
  return single(pluginResource(plugin, rows.get(id), installations.get(id)))
}

/* A body is optional on enable: an empty POST is `{}`. */
function hasBody(ctx: HttpContext) {
  const body = ctx.request.body()
  return !!body && typeof body === 'object' && Object.keys(body).length > 0
}

function settingsResource(id: string, stored: Record<string, unknown>) {
  const plugin = findPlugin(id).manifest
  return single(resource('plugin-settings', id, maskSettings(plugin, stored)), {
    schema: settingsSchemaOf(plugin),
    secrets: secretKeysOf(plugin),
  })
}

/* The catalog of plugins and each one's state for the current tenant. */
export default class PluginsController {
  async index() {
    const all = plugins.registry.all()
    const { rows, installations } = await stateOf(all.map((plugin) => plugin.id))
    const data = [...all]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((plugin) => pluginResource(plugin, rows.get(plugin.id), installations.get(plugin.id)))
    return { data, meta: { total: data.length } }
  }

  async show({ params }: HttpContext) {
    return show(params.id)
  }

  async enable(ctx: HttpContext) {
    findPlugin(ctx.params.id)
    const input = hasBody(ctx) ? await validateAttributes(ctx, enablePluginValidator) : {}
    const switched = await enablePlugin(ctx.actor!.tenant.id, ctx.params.id, input)
    const answer = await show(ctx.params.id)
    return { ...answer, meta: { switchedOn: switched } }
  }

  async disable(ctx: HttpContext) {
    const switched = await disablePlugin(ctx.actor!.tenant.id, ctx.params.id)
    const answer = await show(ctx.params.id)
    return { ...answer, meta: { switchedOff: switched ? [ctx.params.id] : [] } }
  }

  async showSettings({ params }: HttpContext) {
    findPlugin(params.id)
    const row = await TenantPlugin.findBy('plugin_id', params.id)
    return settingsResource(params.id, row?.settings ?? {})
  }

  async updateSettings(ctx: HttpContext) {
    const plugin = findPlugin(ctx.params.id)
    const input = requestAttributes(ctx)
    const tenantId = ctx.actor!.tenant.id
    const stored = await savePluginSettings(plugin, tenantId, input)
    return settingsResource(plugin.id, stored)
  }
}
