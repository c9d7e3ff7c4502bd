import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { inertiaApiClient } from '@adonisjs/inertia/plugins/api_client'
import { browserClient } from '@japa/browser-client'
import { chromium } from 'playwright-core'
import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'

export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  sessionApiClient(app),
  shieldApiClient(),
  authApiClient(app),
  inertiaApiClient(app),
  /* Debian's Chromium (.ci/run installs it); only the browser suite launches it */
  browserClient({
    runInSuites: ['browser'],
    launcher: () =>
      chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
  }),
]

/* One schema for the whole run, on whichever database DB_CONNECTION names. */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [() => testUtils.db().migrate()],
  teardown: [],
}

/*
 * limiter.clear() only reaches stores the process has used; asking for a
 * limiter first makes it flush Redis too, so counters of an earlier run
 * (within their minute) never leak into this one.
 */
async function clearRateLimits() {
  limiter.use({ requests: 1, duration: '1 min' })
  await limiter.clear()
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional'].includes(suite.name)) {
    // each test starts with fresh rate-limit counters
    suite.onGroup((group) => group.each.setup(clearRateLimits))
    suite.onTest((test) => test.setup(clearRateLimits))
    return suite.setup(() => testUtils.httpServer().start())
  }
}
