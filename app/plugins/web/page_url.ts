/* A plugin page's URL: "/app/<id>" + the page's path ("/" is the plugin's home). */
export function pageUrl(pluginId: string, path: string) {
  return path === '/' ? `/app/${pluginId}` : `/app/${pluginId}${path}`
}
