import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ApiError } from '#http/api_error'
import { enabledPlugins } from '#plugins/enabled_plugins'

export function pluginNotEnabled(pluginId: string) {
  return new ApiError(
    404,
    'PLUGIN_NOT_ENABLED',
    `The plugin "${pluginId}" is not enabled for this tenant`
  )
}

/*
 * Group middleware of a plugin's API (after apiAuth): the tenant must have the
 * plugin enabled, otherwise every route of it answers 404 PLUGIN_NOT_ENABLED.
 */
export function pluginGate(pluginId: string) {
  return async function gate(ctx: HttpContext, next: NextFn) {
    let enabled = enabledPlugins.isEnabled(ctx.actor!.tenant.id, pluginId)
    if (typeof enabled !== 'boolean') enabled = await enabled
    if (!enabled) throw pluginNotEnabled(pluginId)
    return next()
  }
}
