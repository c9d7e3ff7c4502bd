/*
 * The plugin system's API (catalog, per-tenant switches and settings) and
 * every plugin's own API under /api/v1/<id>/, behind the plugin gate.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttleApi } from '#start/limiter'
import { plugins } from '#plugins/main'
import { pluginGate } from '#plugins/plugin_gate'
import { PLUGIN_ID_PATTERN } from '#plugins/validate_manifest'
import { mountPluginPages } from '#plugins/web/pages'
import { mountPublicRoutes } from '#plugins/public_routes'
import {
  enablePluginValidator,
  pluginSettingsValidator,
} from '#plugins/validators/plugin_validators'

const PluginsController = () => import('#plugins/controllers/plugins_controller')
const pluginId = { match: new RegExp(PLUGIN_ID_PATTERN) }

router
  .group(() => {
    router.get('/plugins', [PluginsController, 'index']).as('index').describe({
      summary: 'Plugin catalog with versions, dependencies and the tenant’s state',
      tag: 'Plugins',
      resource: 'plugin',
      list: true,
      permission: 'plugins.read',
    })
    router
      .get('/plugins/:id', [PluginsController, 'show'])
      .as('show')
      .where('id', pluginId)
      .describe({
        summary: 'One plugin and the tenant’s state',
        tag: 'Plugins',
        resource: 'plugin',
        permission: 'plugins.read',
      })
    router
      .post('/plugins/:id/enable', [PluginsController, 'enable'])
      .as('enable')
      .where('id', pluginId)
      .describe({
        summary: 'Enable a plugin for the tenant (and its dependencies with withDependencies)',
        tag: 'Plugins',
        body: enablePluginValidator,
        resource: 'plugin',
        permission: 'plugins.manage',
        errors: [409],
      })
    router
      .post('/plugins/:id/disable', [PluginsController, 'disable'])
      .as('disable')
      .where('id', pluginId)
      .describe({
        summary: 'Disable a plugin for the tenant (its data stays)',
        tag: 'Plugins',
        resource: 'plugin',
        permission: 'plugins.manage',
        errors: [409],
      })
    router
      .get('/plugins/:id/settings', [PluginsController, 'showSettings'])
      .as('settings.show')
      .where('id', pluginId)
      .describe({
        summary: 'The tenant’s settings of a plugin (secrets masked)',
        tag: 'Plugins',
        resource: 'plugin-settings',
        permission: 'plugins.read',
      })
    router
      .put('/plugins/:id/settings', [PluginsController, 'updateSettings'])
      .as('settings.update')
      .where('id', pluginId)
      .describe({
        summary: 'Replace the tenant’s settings of a plugin (checked against its JSON Schema)',
        tag: 'Plugins',
        body: pluginSettingsValidator,
        resource: 'plugin-settings',
        permission: 'plugins.manage',
      })
  })
  .prefix('/api/v1')
  .as('api.plugins')
  .use([middleware.apiAuth(), throttleApi])

/* each plugin's API, in dependency order */
for (const plugin of plugins.registry.all()) {
  const routes = plugin.manifest.routes
  if (!routes) continue
  router
    .group(() => {
      try {
        routes(router, plugin.context)
      } catch (error) {
        throw new Error(`Plugin "${plugin.id}" (${plugin.source}) failed to declare its routes`, {
          cause: error,
        })
      }
    })
    .prefix(`/api/v1/${plugin.id}`)
    .use([middleware.apiAuth(), throttleApi, pluginGate(plugin.id)])
}

/* pages */
const PluginManagerController = () => import('#plugins/web/plugin_manager_controller')

/* the plugin manager page (staff session; CSRF-checked posts) */
router
  .group(() => {
    router.get('/app/plugins', [PluginManagerController, 'index']).as('plugins.manager')
    router
      .post('/app/plugins/:id/enable', [PluginManagerController, 'enable'])
      .as('plugins.enable')
      .where('id', pluginId)
    router
      .post('/app/plugins/:id/disable', [PluginManagerController, 'disable'])
      .as('plugins.disable')
      .where('id', pluginId)
    router
      .put('/app/plugins/:id/settings', [PluginManagerController, 'updateSettings'])
      .as('plugins.settings')
      .where('id', pluginId)
  })
  .use(middleware.webAuth())
  .as('web')

/* every plugin's pages under /app/<id>/ */
mountPluginPages()

/* every plugin's public routes (no login) under /p/:tenant/<id>/ */
mountPublicRoutes()
