import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '#plugins/define_config'

/*
 * Plugins of this installation: first-party ones from plugins/<id>/plugin.ts,
 * third-party npm packages listed in `packages`, and `extra` folders (the test
 * fixtures in tests; PLINTH_PLUGINS_EXTRA adds comma-separated paths).
 */
const extraFromEnv = (env.get('PLINTH_PLUGINS_EXTRA') ?? '')
  .split(',')
  .map((path) => path.trim())
  .filter(Boolean)

export default defineConfig({
  directory: 'plugins',
  packages: [],
  extra: [
    ...(app.inTest ? ['tests/fixtures/plugins/notes', 'tests/fixtures/plugins/notes-plus'] : []),
    ...extraFromEnv,
  ],
})
