/* A plugin page's URL: "/app/<id>" + the page's path ("/" is the plugin's home). */
export function pageUrl(pluginId: string, path: string) {
  return path === '/' ? `/app/${pluginId}` : `/app/${pluginId}${path}`
}

/* A plugin's public page for a tenant: "/p/<tenant slug>/<id>" + the path. */
export function publicPageUrl(pluginId: string, tenantSlug: string, path = '/') {
  const base = `/p/${encodeURIComponent(tenantSlug)}/${pluginId}`
  return path === '/' ? base : `${base}${path}`
}
