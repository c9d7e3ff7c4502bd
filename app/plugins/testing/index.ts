/*
 * #plinth/testing: what plugin authors use in their tests (see docs/plugins.md).
 */
export {
  pluginTestKit,
  pluginRoutes,
  type PluginTestKitOptions,
  type KitSample,
  type PluginRoute,
} from '#plugins/testing/plugin_test_kit'
export {
  tenantWithPlugin,
  signupTenant,
  switchPlugin,
  putPluginSettings,
  memberWith,
  pluginApi,
  staffUser,
  describeResponse,
  TEST_PASSWORD,
  type TestTenant,
} from '#plugins/testing/plugin_tenant'
export { startJobWorker } from '#plugins/testing/job_worker'
