/*
 * HTTP kernel: global middleware and named middleware.
 */
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

server.use([
  () => import('#middleware/request_log_middleware'),
  () => import('#middleware/security_headers_middleware'),
  () => import('#middleware/static_files_middleware'),
  () => import('@adonisjs/vite/vite_middleware'),
  () => import('@adonisjs/inertia/inertia_middleware'),
])

router.use([
  () => import('@adonisjs/core/bodyparser_middleware'),
  // session and shield; API requests get shield's headers only (no session, no CSRF cookies)
  () => import('#middleware/web_session_middleware'),
  () => import('#middleware/shield_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
])

export const middleware = router.named({
  guest: () => import('#middleware/guest_middleware'),
  apiAuth: () => import('#middleware/api_auth_middleware'),
  idempotency: () => import('#middleware/idempotency_middleware'),
  webAuth: () => import('#web/middleware/web_auth_middleware'),
})
