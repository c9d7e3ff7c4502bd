import type { HttpContext } from '@adonisjs/core/http'
import { ApiError } from '#http/api_error'
import { hasPermission } from '#abilities/main'
import { plugins } from '#plugins/main'
import TenantPlugin from '#plugins/models/tenant_plugin'
import PluginInstallation from '#plugins/models/plugin_installation'
import { disablePlugin, enablePlugin, findPlugin } from '#plugins/switch_plugin'
import { savePluginSettings } from '#plugins/save_plugin_settings'
import { SECRET_MASK, maskSettings, secretKeysOf, settingsSchemaOf } from '#plugins/plugin_settings'
import type { PluginCatalogRow, PluginManagerProps } from '#web/page_props'

/* A refused switch (409: a dependency off, a dependant on) goes back to the page as a message. */
async function orFlash(ctx: HttpContext, action: () => Promise<string | null>) {
  try {
    const notice = await action()
    if (notice) ctx.session.flash('notice', notice)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    ctx.session.flashErrors({ plugins: error.message })
  }
  return ctx.response.redirect().toPath('/app/plugins')
}

const names = (ids: string[]) => ids.map((id) => plugins.registry.get(id)?.manifest.name ?? id)

/* The plugin manager page: catalog, switches and settings for the current tenant. */
export default class PluginManagerController {
  async index({ actor, bouncer, inertia }: HttpContext) {
    await bouncer.authorize(hasPermission, 'plugins.read')
    const all = plugins.registry.all()
    const [rows, installations] = await Promise.all([
      TenantPlugin.query(),
      PluginInstallation.query().where('state', 'uninstalled'),
    ])
    const state = new Map(rows.map((row) => [row.pluginId, row]))
    const uninstalled = new Set(installations.map((row) => row.pluginId))
    const catalog: PluginCatalogRow[] = [...all]
      .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name))
      .map((plugin) => {
        const manifest = plugin.manifest
        const hasSettings = !!manifest.settings
        return {
          id: plugin.id,
          name: manifest.name,
          version: plugin.version,
          description: manifest.description ?? null,
          kernelRange: manifest.requires?.kernel ?? null,
          requires: Object.entries(manifest.requires?.plugins ?? {}).map(([id, range]) => ({
            id,
            range,
            enabled: state.get(id)?.enabled ?? false,
          })),
          dependants: plugins.registry.dependantsOf(plugin.id).map((item) => item.id),
          enabled: state.get(plugin.id)?.enabled ?? false,
          uninstalled: uninstalled.has(plugin.id),
          permissions: (manifest.permissions ?? []).map((permission) => permission.key),
          capabilities: (manifest.capabilities ?? []).map((capability) =>
            typeof capability === 'string' ? capability : capability.name
          ),
          settings: hasSettings
            ? {
                schema: settingsSchemaOf(manifest),
                values: maskSettings(manifest, state.get(plugin.id)?.settings ?? {}),
                secrets: secretKeysOf(manifest),
                mask: SECRET_MASK,
              }
            : null,
        }
      })
    const props: PluginManagerProps = {
      plugins: catalog,
      canManage: actor!.permissions.has('plugins.manage'),
    }
    return inertia.render('plugin_manager', props)
  }

  async enable(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'plugins.manage')
    const withDependencies = ctx.request.input('withDependencies') === true
    return orFlash(ctx, async () => {
      const plugin = findPlugin(ctx.params.id)
      const switched = await enablePlugin(ctx.actor!.tenant.id, plugin.id, { withDependencies })
      if (!switched.length) return null
      return `Enabled ${names(switched).join(', ')}.`
    })
  }

  async disable(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'plugins.manage')
    return orFlash(ctx, async () => {
      const plugin = findPlugin(ctx.params.id)
      const switched = await disablePlugin(ctx.actor!.tenant.id, plugin.id)
      return switched ? `Disabled ${plugin.manifest.name}. Its data is kept.` : null
    })
  }

  /* Same rules as PUT /api/v1/plugins/:id/settings: schema-checked (errors per field), secrets encrypted. */
  async updateSettings(ctx: HttpContext) {
    await ctx.bouncer.authorize(hasPermission, 'plugins.manage')
    const plugin = findPlugin(ctx.params.id)
    const input = ctx.request.input('settings')
    const values = input && typeof input === 'object' && !Array.isArray(input) ? input : {}
    await savePluginSettings(plugin, ctx.actor!.tenant.id, values)
    ctx.session.flash('notice', `Saved the settings of ${plugin.manifest.name}.`)
    return ctx.response.redirect().toPath('/app/plugins')
  }
}
