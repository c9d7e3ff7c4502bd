import { sep } from 'node:path'
import { defineConfig } from '@adonisjs/static'

/*
 * Serves public/, which holds the Vite bundle (public/assets) when the app runs
 * without the Vite dev server (`npm start`, production).
 */
const staticServerConfig = defineConfig({
  enabled: true,
  etag: true,
  lastModified: true,
  dotFiles: 'ignore',
  // bundle files carry a content hash in their name, so browsers may keep them for good
  headers: (path) =>
    path.includes(`${sep}assets${sep}`)
      ? { 'Cache-Control': 'public, max-age=31536000, immutable' }
      : {},
})

export default staticServerConfig
