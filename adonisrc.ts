import { defineConfig } from '@adonisjs/core/app'

export default defineConfig({
  commands: [
    () => import('@adonisjs/core/commands'),
    () => import('@adonisjs/lucid/commands'),
    () => import('@adonisjs/session/commands'),
    () => import('@adonisjs/bouncer/commands'),
  ],

  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    {
      file: () => import('@adonisjs/core/providers/repl_provider'),
      environment: ['repl', 'test'],
    },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('@adonisjs/core/providers/edge_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/session/session_provider'),
    () => import('@adonisjs/shield/shield_provider'),
    () => import('@adonisjs/bouncer/bouncer_provider'),
    () => import('@adonisjs/vite/vite_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('@adonisjs/inertia/inertia_provider'),
    () => import('@adonisjs/redis/redis_provider'),
    () => import('#providers/jobs_provider'),
    () => import('#providers/plugins_provider'),
    () => import('#providers/events_provider'),
  ],

  preloads: [() => import('#start/routes'), () => import('#start/kernel')],

  tests: {
    suites: [
      {
        files: ['tests/unit/**/*.spec(.ts|.js)'],
        name: 'unit',
        timeout: 2000,
      },
      {
        /* first-party plugins' own tests run with the functional suite (and, from
           PLINTH_PLUGIN_TESTS, those of plugins kept elsewhere: make:plugin's test) */
        files: [
          'tests/functional/**/*.spec(.ts|.js)',
          'plugins/*/tests/**/*.spec(.ts|.js)',
          ...(process.env.PLINTH_PLUGIN_TESTS ? process.env.PLINTH_PLUGIN_TESTS.split(',') : []),
        ],
        name: 'functional',
        timeout: 30000,
      },
      {
        files: ['tests/browser/**/*.spec(.ts|.js)'],
        name: 'browser',
        timeout: 60000,
      },
    ],
    forceExit: false,
  },

  metaFiles: [
    { pattern: 'resources/views/**/*.edge', reloadServer: false },
    { pattern: 'public/**', reloadServer: false },
    /* @plinth/sdk, which npm plugins import (the build's package.json refers to it) */
    { pattern: 'packages/sdk/**', reloadServer: false },
  ],
  hooks: {
    onBuildStarting: [() => import('@adonisjs/vite/build_hook')],
  },
})
