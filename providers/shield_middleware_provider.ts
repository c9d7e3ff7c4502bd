import type { ApplicationService } from '@adonisjs/core/types'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'

/*
 * One ShieldMiddleware for the process instead of one per request. The
 * shield provider binds a factory that builds its guards from the config and
 * awaits import('edge.js') on every request; under the ts-node ESM loader
 * each such import() is a round trip to the loader's worker thread (~0.4 ms
 * of CPU a request, API requests included). The middleware keeps no
 * per-request state: its guards read and write only the request's context.
 * Registered after the shield provider, so this binding replaces its.
 */
export default class ShieldMiddlewareProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(ShieldMiddleware, async () => {
      const config = this.app.config.get<any>('shield', {})
      const encryption = await this.app.container.make('encryption')
      if (this.app.usingEdgeJS) {
        const edge = await import('edge.js')
        return new ShieldMiddleware(config, encryption, edge.default)
      }
      return new ShieldMiddleware(config, encryption)
    })
  }
}
