/*
 * Operations endpoints: liveness, readiness and Prometheus metrics. They sit
 * outside /api/v1 (no envelope, no auth, no rate limit) for probes and scrapers.
 */
import router from '@adonisjs/core/services/router'

const HealthController = () => import('#ops/controllers/health_controller')
const MetricsController = () => import('#ops/controllers/metrics_controller')

/* liveness is a closure on purpose: nothing to resolve, and it is the bench's baseline route */
router.get('/health/live', () => ({ status: 'ok' })).as('health.live')
router.get('/health/ready', [HealthController, 'ready']).as('health.ready')
router.get('/metrics', [MetricsController, 'show']).as('metrics')
