import { configApp } from '@adonisjs/eslint-config'

/*
 * The AdonisJS app preset (TypeScript, prettier as a rule). resources/ (Vue)
 * is ignored by the preset and checked by vue-tsc in `npm run typecheck`.
 */
export default configApp(
  {
    name: 'Plinth ignores',
    ignores: ['tmp/**', 'public/**', 'plugins/*/pages/**'],
  },
  {
    // `(await client.get(url)).assertStatus(200)` is the idiomatic Japa one-liner
    name: 'Plinth tests',
    files: ['tests/**/*.ts', 'plugins/*/tests/**/*.ts'],
    rules: { '@unicorn/no-await-expression-member': 'off' },
  }
)
