import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import adonisjs from '@adonisjs/vite/client'
import inertia from '@adonisjs/inertia/client'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [
    inertia({ ssr: { enabled: false } }),
    vue(),
    adonisjs({ entrypoints: ['resources/app/app.ts'], reload: ['resources/views/**/*.edge'] }),
  ],
  resolve: {
    alias: { '~/': fileURLToPath(new URL('./resources/', import.meta.url)) },
  },
})
