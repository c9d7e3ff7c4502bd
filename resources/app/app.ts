import '../css/app.css'
import { createApp, h } from 'vue'
import type { DefineComponent } from 'vue'
import { createInertiaApp } from '@inertiajs/vue3'
import { resolvePageComponent } from '@adonisjs/inertia/helpers'
import ShellLayout from '../layouts/shell_layout.vue'

/* Pages outside the shell: sign-in and the error pages. */
const BARE_PAGES = /^(auth|errors)\//

createInertiaApp({
  progress: { color: '#2f5bd3', delay: 250 },

  title: (title) => (title ? `${title} · Plinth` : 'Plinth'),

  async resolve(name) {
    const page = await resolvePageComponent<{ default: DefineComponent }>(
      `../pages/${name}.vue`,
      import.meta.glob<{ default: DefineComponent }>('../pages/**/*.vue')
    )
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
