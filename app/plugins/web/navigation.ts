import type { Actor } from '#tenancy/actor'
import type { NavItem } from '#web/page_props'
import { plugins } from '#plugins/main'
import { enabledPlugins } from '#plugins/enabled_plugins'
import { pageUrl } from '#plugins/web/page_url'

/*
 * The nav entries of the plugins the actor's tenant has enabled, each shown
 * only when the actor holds its permission (or, when the entry names none, the
 * permission of the page it links to). Registry order, then `order`.
 */
export async function pluginNavigationFor(actor: Actor): Promise<NavItem[]> {
  if (!plugins.booted) return []
  const enabled = await enabledPlugins.forTenant(actor.tenant.id)
  const items: (NavItem & { order: number; rank: number })[] = []
  let rank = 0
  for (const plugin of plugins.registry.all()) {
    if (!enabled.has(plugin.id)) continue
    const pages = plugin.manifest.pages ?? []
    for (const entry of plugin.manifest.nav ?? []) {
      const permission =
        entry.permission ?? pages.find((page) => page.path === entry.path)?.permission
      if (permission && !actor.permissions.has(permission)) continue
      items.push({
        label: entry.label,
        href: pageUrl(plugin.id, entry.path),
        order: entry.order ?? 0,
        rank: rank++,
      })
    }
  }
  return items
    .sort((a, b) => a.order - b.order || a.rank - b.rank)
    .map(({ label, href }) => ({ label, href }))
}
