import { defineConfig, drivers } from '@adonisjs/core/hash'

/* bcrypt cost 12, as the security requirements ask. */
const hashConfig = defineConfig({
  default: 'bcrypt',
  list: {
    bcrypt: drivers.bcrypt({ rounds: 12, saltSize: 16, version: 98 }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
