/*
 * Staff web UI (Inertia + Vue): session login, tenant switcher, kernel pages.
 * Every POST here is CSRF-checked by shield (Inertia sends X-XSRF-TOKEN).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttleAuth } from '#start/limiter'

const SessionController = () => import('#web/controllers/session_controller')
const TenantSwitchController = () => import('#web/controllers/tenant_switch_controller')
const WorkspaceController = () => import('#web/controllers/workspace_controller')
const SecurityController = () => import('#web/controllers/security_controller')

router
  .group(() => {
    router.on('/').redirectToPath('/app').as('root')

    router
      .group(() => {
        router.get('/login', [SessionController, 'show']).as('login')
        router.post('/login', [SessionController, 'store']).as('login.store').use(throttleAuth)
      })
      .use(middleware.guest())

    router
      .group(() => {
        router.post('/logout', [SessionController, 'destroy']).as('logout')
        router.post('/tenants/switch', [TenantSwitchController, 'store']).as('tenants.switch')

        router.get('/app', [WorkspaceController, 'dashboard']).as('dashboard')
        router.get('/app/members', [WorkspaceController, 'members']).as('members')
        router.get('/app/roles', [WorkspaceController, 'roles']).as('roles')
        router.get('/app/audit-log', [WorkspaceController, 'auditLog']).as('audit_log')

        router.get('/app/security', [SecurityController, 'show']).as('security.show')
        router
          .post('/app/security/two-factor', [SecurityController, 'enroll'])
          .as('security.enroll')
        router
          .post('/app/security/two-factor/confirm', [SecurityController, 'confirm'])
          .as('security.confirm')
        router
          .post('/app/security/two-factor/disable', [SecurityController, 'disable'])
          .as('security.disable')
      })
      .use(middleware.webAuth())
  })
  .as('web')
