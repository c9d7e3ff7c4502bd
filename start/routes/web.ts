/*
 * Staff web UI (Inertia + Vue): session login, tenant switcher, kernel pages.
 * Every POST here is CSRF-checked by shield (Inertia sends X-XSRF-TOKEN).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttleAuth } from '#start/limiter'
import { idParam } from '#http/openapi/route_docs'

const SessionController = () => import('#web/controllers/session_controller')
const TenantSwitchController = () => import('#web/controllers/tenant_switch_controller')
const WorkspaceController = () => import('#web/controllers/workspace_controller')
const SecurityController = () => import('#web/controllers/security_controller')
const LedgerAccountsPages = () => import('#web/controllers/ledger_accounts_pages_controller')
const LedgerJournalPages = () => import('#web/controllers/ledger_journal_pages_controller')
const LedgerReportPages = () => import('#web/controllers/ledger_report_pages_controller')

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

        // the books; each report also answers ?format=csv through the API's own code
        router.on('/app/ledger').redirectToPath('/app/ledger/accounts').as('ledger')
        router.get('/app/ledger/accounts', [LedgerAccountsPages, 'index']).as('ledger.accounts')
        router
          .post('/app/ledger/accounts', [LedgerAccountsPages, 'store'])
          .as('ledger.accounts.store')
        router
          .get('/app/ledger/accounts/:id', [LedgerAccountsPages, 'statement'])
          .as('ledger.accounts.statement')
          .where('id', idParam)
        router
          .post('/app/ledger/accounts/:id', [LedgerAccountsPages, 'update'])
          .as('ledger.accounts.update')
          .where('id', idParam)
        router.get('/app/ledger/entries', [LedgerJournalPages, 'index']).as('ledger.entries')
        router
          .get('/app/ledger/entries/:id', [LedgerJournalPages, 'show'])
          .as('ledger.entries.show')
          .where('id', idParam)
        router
          .post('/app/ledger/entries/:id/reverse', [LedgerJournalPages, 'reverse'])
          .as('ledger.entries.reverse')
          .where('id', idParam)
        router
          .get('/app/ledger/reports/trial-balance', [LedgerReportPages, 'trialBalance'])
          .as('ledger.reports.trial_balance')
        router
          .get('/app/ledger/reports/profit-and-loss', [LedgerReportPages, 'profitAndLoss'])
          .as('ledger.reports.profit_and_loss')
        router
          .get('/app/ledger/reports/balance-sheet', [LedgerReportPages, 'balanceSheet'])
          .as('ledger.reports.balance_sheet')
      })
      .use(middleware.webAuth())
  })
  .as('web')
