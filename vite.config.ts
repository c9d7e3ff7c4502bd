import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import adonisjs from '@adonisjs/vite/client'
import inertia from '@adonisjs/inertia/client'
import vue from '@vitejs/plugin-vue'
import { plinthPluginPages } from './app/plugins/web/vite_plugin_pages.js'

/* Vite's usual HMR port, or a free one when another dev server or test run holds it. */
function hmrPort(preferred = 24678): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => {
      const fallback = createServer().listen(0, () => {
        const { port } = fallback.address() as { port: number }
        fallback.close(() => resolve(port))
      })
    })
    probe.listen(preferred, () => probe.close(() => resolve(preferred)))
  })
}

export default defineConfig(async ({ command }) => ({
  plugins: [
    inertia({ ssr: { enabled: false } }),
    vue(),
    adonisjs({ entrypoints: ['resources/app/app.ts'], reload: ['resources/views/**/*.edge'] }),
    plinthPluginPages(),
  ],
  resolve: {
    alias: { '~/': fileURLToPath(new URL('./resources/', import.meta.url)) },
    // pages of plugins installed as packages use the app's Vue and Inertia
    dedupe: ['vue', '@inertiajs/vue3'],
  },
  server: command === 'serve' ? { hmr: { port: await hmrPort() } } : {},
}))
