/*
 * Ledger routes: the API under /api/v1/ledger (every route documented with
 * `.describe()`, permission-checked) and the staff pages under /ledger.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { idParam } from '#http/openapi/route_docs'
import { throttleApi } from '#start/limiter'
import {
  createAccountValidator,
  postEntryValidator,
  reverseEntryValidator,
  updateAccountValidator,
} from '#ledger/validators'

const AccountsController = () => import('#ledger/controllers/accounts_controller')
const EntriesController = () => import('#ledger/controllers/entries_controller')
const ReportsController = () => import('#ledger/controllers/reports_controller')
const PeriodsController = () => import('#ledger/controllers/periods_controller')

const periodParam = { match: /^\d{4}-\d{2}$/ }

router
  .group(() => {
    router.get('/accounts', [AccountsController, 'index']).as('accounts.index').describe({
      summary: 'The chart of accounts',
      tag: 'Ledger',
      resource: 'ledger-account',
      list: true,
      permission: 'ledger.read',
    })
    router
      .post('/accounts', [AccountsController, 'store'])
      .as('accounts.store')
      .describe({
        summary: 'Add an account to the chart',
        tag: 'Ledger',
        body: createAccountValidator,
        resource: 'ledger-account',
        permission: 'ledger.accounts.write',
        status: 201,
        errors: [409],
      })
    router
      .get('/accounts/:id', [AccountsController, 'show'])
      .as('accounts.show')
      .where('id', idParam)
      .describe({
        summary: 'An account with its balance per currency',
        tag: 'Ledger',
        resource: 'ledger-account',
        permission: 'ledger.read',
      })
    router
      .patch('/accounts/:id', [AccountsController, 'update'])
      .as('accounts.update')
      .where('id', idParam)
      .describe({
        summary: 'Rename, (de)activate or move an account (code, type and currency never change)',
        tag: 'Ledger',
        body: updateAccountValidator,
        resource: 'ledger-account',
        permission: 'ledger.accounts.write',
        errors: [409],
      })
    router
      .get('/accounts/:id/statement', [AccountsController, 'statement'])
      .as('accounts.statement')
      .where('id', idParam)
      .describe({
        summary: 'Account statement with running balance (?from=&to=, ?format=csv)',
        tag: 'Ledger',
        resource: 'ledger-statement-line',
        list: true,
        permission: 'ledger.read',
      })

    router.get('/entries', [EntriesController, 'index']).as('entries.index').describe({
      summary:
        'The journal (filter[account], filter[from], filter[to], filter[source], filter[reference])',
      tag: 'Ledger',
      resource: 'ledger-entry',
      list: true,
      permission: 'ledger.read',
    })
    router
      .post('/entries', [EntriesController, 'store'])
      .as('entries.store')
      .describe({
        summary:
          'Post a balanced journal entry (amounts: strings of integer minor units; replay of the same idempotency key returns the first entry)',
        tag: 'Ledger',
        body: postEntryValidator,
        resource: 'ledger-entry',
        permission: 'ledger.post',
        status: 201,
        errors: [409, 423],
      })
    router
      .get('/entries/:id', [EntriesController, 'show'])
      .as('entries.show')
      .where('id', idParam)
      .describe({
        summary: 'A journal entry with its lines',
        tag: 'Ledger',
        resource: 'ledger-entry',
        permission: 'ledger.read',
      })
    router
      .post('/entries/:id/reverse', [EntriesController, 'reverse'])
      .as('entries.reverse')
      .where('id', idParam)
      .describe({
        summary: 'Post the reversing entry of an entry (once)',
        tag: 'Ledger',
        body: reverseEntryValidator,
        resource: 'ledger-entry',
        permission: 'ledger.post',
        status: 201,
        errors: [409, 423],
      })

    router
      .get('/reports/trial-balance', [ReportsController, 'trialBalance'])
      .as('reports.trial_balance')
      .describe({
        summary: 'Trial balance per currency (?to=, ?from=, ?format=csv)',
        tag: 'Ledger',
        resource: 'ledger-trial-balance',
        permission: 'ledger.read',
      })
    router
      .get('/reports/profit-and-loss', [ReportsController, 'profitAndLoss'])
      .as('reports.profit_and_loss')
      .describe({
        summary: 'Profit and loss per currency with monthly figures (?from=&to=, ?format=csv)',
        tag: 'Ledger',
        resource: 'ledger-profit-and-loss',
        permission: 'ledger.read',
      })
    router
      .get('/reports/balance-sheet', [ReportsController, 'balanceSheet'])
      .as('reports.balance_sheet')
      .describe({
        summary: 'Balance sheet per currency as of a date (?to=, ?format=csv)',
        tag: 'Ledger',
        resource: 'ledger-balance-sheet',
        permission: 'ledger.read',
      })

    router.get('/periods', [PeriodsController, 'index']).as('periods.index').describe({
      summary: 'Accounting periods (months) that were locked or unlocked',
      tag: 'Ledger',
      resource: 'ledger-period',
      list: true,
      permission: 'ledger.read',
    })
    router
      .post('/periods/:period/lock', [PeriodsController, 'lock'])
      .as('periods.lock')
      .where('period', periodParam)
      .describe({
        summary: 'Lock a month (YYYY-MM): postings dated in it are refused',
        tag: 'Ledger',
        resource: 'ledger-period',
        permission: 'ledger.periods.lock',
      })
    router
      .post('/periods/:period/unlock', [PeriodsController, 'unlock'])
      .as('periods.unlock')
      .where('period', periodParam)
      .describe({
        summary: 'Unlock a month (YYYY-MM)',
        tag: 'Ledger',
        resource: 'ledger-period',
        permission: 'ledger.periods.lock',
      })
  })
  .prefix('/api/v1/ledger')
  .as('api.ledger')
  .use([middleware.apiAuth(), throttleApi])
