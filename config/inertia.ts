import { defineConfig } from '@adonisjs/inertia'
import type { InferSharedProps } from '@adonisjs/inertia/types'
import { shellProps } from '#web/shared_props'

const inertiaConfig = defineConfig({
  /* resources/views/inertia_layout.edge */
  rootView: 'inertia_layout',

  /* Props every page gets (validation errors are shared by the Inertia middleware). */
  sharedData: {
    shell: (ctx) => ctx.inertia.always(() => shellProps(ctx)),
    flash: (ctx) =>
      ctx.inertia.always(() => ({
        notice: (ctx.session?.flashMessages.get('notice') as string | undefined) ?? null,
      })),
  },

  /* Pages render in the browser only: no server-side rendering. */
  ssr: {
    enabled: false,
  },
})

export default inertiaConfig

declare module '@adonisjs/inertia/types' {
  export interface SharedProps extends InferSharedProps<typeof inertiaConfig> {}
}
