import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'

/* Memory on the embedded default; Redis when several web processes share limits. */
const limiterConfig = defineConfig({
  default: env.get('LIMITER_STORE', env.get('QUEUE_DRIVER') === 'redis' ? 'redis' : 'memory'),
  stores: {
    redis: stores.redis({ connectionName: 'limiter' }),
    memory: stores.memory({}),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
