import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/shield'

/*
 * Security headers on every answer. CSRF guards the session-authenticated web
 * forms; the API is bearer-token only (no cookies), so it is exempt.
 */
/*
 * Outside production Vite serves the assets from this same origin (middleware
 * mode); only its HMR client talks to a WebSocket on a port of its own.
 * (@adonisjs/vite v4 registers no @viteDevUrl/@viteHmrUrl keywords: browsers
 * reject them as invalid sources.)
 */
const viteHmr = app.inProduction ? [] : ['ws:']

const shieldConfig = defineConfig({
  csp: {
    enabled: true,
    directives: {
      defaultSrc: [`'self'`],
      scriptSrc: [`'self'`, '@nonce'],
      styleSrc: [`'self'`, `'unsafe-inline'`],
      imgSrc: [`'self'`, 'data:'],
      connectSrc: [`'self'`, ...viteHmr],
      fontSrc: [`'self'`],
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
