import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/shield'

/*
 * Security headers on every answer. CSRF guards the session-authenticated web
 * forms; the API is bearer-token only (no cookies), so it is exempt.
 */
const shieldConfig = defineConfig({
  csp: {
    enabled: true,
    directives: {
      defaultSrc: [`'self'`],
      scriptSrc: [`'self'`, '@nonce', '@viteDevUrl'],
      styleSrc: [`'self'`, `'unsafe-inline'`, '@viteDevUrl'],
      imgSrc: [`'self'`, 'data:'],
      connectSrc: [`'self'`, '@viteHmrUrl', '@viteDevUrl'],
      fontSrc: [`'self'`, '@viteDevUrl'],
      objectSrc: [`'none'`],
      baseUri: [`'self'`],
      formAction: [`'self'`],
      frameAncestors: [`'none'`],
    },
    reportOnly: false,
  },

  csrf: {
    enabled: true,
    exceptRoutes: (ctx) => ctx.request.url().startsWith('/api/'),
    enableXsrfCookie: true,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },

  xFrame: { enabled: true, action: 'DENY' },

  hsts: { enabled: app.inProduction, maxAge: '180 days', includeSubDomains: true },

  contentTypeSniffing: { enabled: true },
})

export default shieldConfig
