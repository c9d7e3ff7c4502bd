import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '#plugins/define_config'

/*
 * Plugins of this installation: first-party ones from plugins/<id>/plugin.ts,
 * third-party npm packages listed in `packages`, and `extra` folders (the test
 * fixtures in tests). Comma-separated env lists add to them:
 * PLINTH_PLUGINS_EXTRA (folders), PLINTH_PLUGIN_PACKAGES (package names) and
 * PLINTH_PLUGIN_PACKAGE_PATHS (folders whose node_modules hold such packages).
 */
const fromEnv = (
  name: 'PLINTH_PLUGINS_EXTRA' | 'PLINTH_PLUGIN_PACKAGES' | 'PLINTH_PLUGIN_PACKAGE_PATHS'
) =>
  (env.get(name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)

export default defineConfig({
  directory: 'plugins',
  packages: [...fromEnv('PLINTH_PLUGIN_PACKAGES')],
  packagePaths: fromEnv('PLINTH_PLUGIN_PACKAGE_PATHS'),
  extra: [
    ...(app.inTest ? ['tests/fixtures/plugins/notes', 'tests/fixtures/plugins/notes-plus'] : []),
    ...fromEnv('PLINTH_PLUGINS_EXTRA'),
  ],
})
