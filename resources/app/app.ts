import '../css/app.css'
import { createApp, h } from 'vue'
import type { DefineComponent } from 'vue'
import { createInertiaApp } from '@inertiajs/vue3'
import { resolvePageComponent } from '@adonisjs/inertia/helpers'
import pluginPackagePages from 'virtual:plinth/plugin-pages'
import ShellLayout from '../layouts/shell_layout.vue'

/* Pages outside the shell: sign-in, the error pages and plugins' public pages (pages/public/). */
const BARE_PAGES = /^(auth|errors)\/|^plugins\/[^/]+\/public\//

type PageModule = { default: DefineComponent }

/*
 * Pages by Inertia name: the kernel's ("members") from resources/pages, a
 * plugin's ("plugins/<id>/<page>") from plugins/<id>/pages or, for plugins
 * installed elsewhere (npm packages), from the list Vite generates at build
 * (app/plugins/web/vite_plugin_pages.ts).
 */
const pages: Record<string, () => Promise<PageModule>> = {
  ...import.meta.glob<PageModule>('../pages/**/*.vue'),
  ...import.meta.glob<PageModule>('/plugins/*/pages/**/*.vue'),
  ...pluginPackagePages,
}

function pageKey(name: string) {
  const plugin = /^plugins\/([^/]+)\/(.+)$/.exec(name)
  if (!plugin) return `../pages/${name}.vue`
  const firstParty = `/plugins/${plugin[1]}/pages/${plugin[2]}.vue`
  return firstParty in pages ? firstParty : name
}

createInertiaApp({
  progress: { color: '#2f5bd3', delay: 250 },

  title: (title) => (title ? `${title} · Plinth` : 'Plinth'),

  async resolve(name) {
    const page = await resolvePageComponent<PageModule>(pageKey(name), pages)
    // a persistent layout: the shell is not rebuilt on every visit
    if (!BARE_PAGES.test(name)) page.default.layout ??= ShellLayout
    return page.default
  },

  setup({ el, App, props, plugin }) {
    createApp({ render: () => h(App, props) })
      .use(plugin)
      .mount(el)
  },
})
