/*
 * #plinth/testing: what plugin authors use in their tests (see docs/plugins.md).
 */
export {
  pluginTestKit,
  pluginRoutes,
  type PluginTestKitOptions,
  type PluginRoute,
} from '#plugins/testing/plugin_test_kit'
