/*
 * @plinth/sdk/testing: the plugin test kit (pluginTestKit), for a plugin
 * package's tests run inside a Plinth app. See docs/plugins.md, "Testing".
 */
export * from '../../app/plugins/testing/index.js'
