import { definePlugin } from '#plinth'
import { seedInvoicingDemo } from './services/demo_data.js'
import { invoicingPlugin } from './services/invoicing_plugin.js'
import { remindOverdue } from './services/reminders.js'
import './services/client_privacy.js'
import { invoicingNav, invoicingPageActions, invoicingPages } from './services/manifest_pages.js'
import { createItemValidator, updateItemValidator } from './validators/item_validator.js'
import { createTaxRateValidator, updateTaxRateValidator } from './validators/tax_rate_validator.js'
import {
  approveQuoteValidator,
  convertQuoteValidator,
  createQuoteValidator,
  updateQuoteValidator,
} from './validators/quote_validator.js'
import {
  createCreditNoteValidator,
  createInvoiceValidator,
  sendInvoiceValidator,
  updateInvoiceValidator,
  voidInvoiceValidator,
} from './validators/invoice_validator.js'
import {
  clientPaymentValidator,
  invoicePaymentValidator,
  refundValidator,
} from './validators/payment_validator.js'

const CatalogController = () => import('./controllers/catalog_controller.js')
const QuotesController = () => import('./controllers/quotes_controller.js')
const InvoicesController = () => import('./controllers/invoices_controller.js')
const PaymentsController = () => import('./controllers/payments_controller.js')
const ReportsController = () => import('./controllers/reports_controller.js')

const id = { match: /^[0-9]{1,15}$/, cast: (value: string) => Number(value) }
const TAG = 'Invoicing'
const accountCode = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$' }

/*
 * Invoicing: a catalog (items with prices per currency, tax rates), quotes
 * approved by the client's typed name, invoices numbered per tenant without
 * gaps, credit notes, payments and refunds, all posted to the ledger through
 * the ledger.post capability; AR aging; overdue reminders. Other plugins bill
 * clients through ./public.ts.
 */
export default definePlugin({
  id: 'invoicing',
  name: 'Invoicing',
  version: '1.0.0',
  description: 'Quotes, invoices, credit notes and payments, posted to the ledger; AR aging',
  requires: { kernel: '^1.0.0', plugins: { crm: '^1.0.0' } },
  permissions: [
    {
      key: 'invoicing.read',
      description: 'See the catalog, quotes, invoices and payments',
      roles: ['admin', 'manager', 'dispatcher'],
    },
    {
      key: 'invoicing.write',
      description: 'Write the catalog, quotes and invoices; issue, void and credit invoices',
      roles: ['admin', 'manager'],
    },
    {
      key: 'invoicing.payments',
      description: 'Record payments and refunds',
      roles: ['admin', 'manager'],
    },
    {
      key: 'invoicing.reports',
      description: 'See receivables reports (AR aging)',
      roles: ['admin', 'manager'],
    },
  ],
  capabilities: ['ledger.post', 'events.publish', 'jobs.dispatch', 'settings.read'],
  migrations: 'database/migrations',
  settings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      companyName: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        title: 'Seller name on invoices',
      },
      defaultTermsDays: {
        type: 'integer',
        minimum: 0,
        maximum: 3650,
        title: 'Payment terms (days)',
        default: 30,
      },
      invoicePrefix: {
        type: 'string',
        pattern: '^[A-Za-z0-9/_-]{0,20}$',
        title: 'Invoice number prefix',
        default: 'INV-',
      },
      creditNotePrefix: {
        type: 'string',
        pattern: '^[A-Za-z0-9/_-]{0,20}$',
        title: 'Credit note number prefix',
        default: 'CN-',
      },
      accounts: {
        type: 'object',
        additionalProperties: false,
        title: 'Ledger accounts (codes of the chart)',
        properties: {
          receivable: { ...accountCode, default: '1100', title: 'Accounts receivable' },
          revenue: { ...accountCode, default: '4000', title: 'Revenue' },
          taxPayable: { ...accountCode, default: '2100', title: 'Tax payable' },
          cash: { ...accountCode, default: '1020', title: 'Cash / bank' },
        },
      },
    },
  },

  /* staff pages under /app/invoicing, their form posts (same services as the API) and nav */
  pages: invoicingPages,
  actions: invoicingPageActions,
  nav: invoicingNav,

  jobs: [
    {
      /* emits invoicing.invoice.overdue once per overdue invoice per day */
      name: 'invoicing.remind-overdue',
      attempts: 3,
      backoff: [60_000, 300_000],
      async handle(payload: { asOf?: string }, ctx) {
        invoicingPlugin.use(ctx.plugin)
        await remindOverdue({ asOf: payload?.asOf })
      },
    },
  ],
  schedules: [
    { key: 'invoicing.overdue-reminders', cron: '0 * * * *', job: 'invoicing.remind-overdue' },
  ],

  routes(router, plugin) {
    invoicingPlugin.use(plugin)
    const read = 'invoicing.read'
    const write = 'invoicing.write'
    const payments = 'invoicing.payments'

    /* catalog */
    router.get('/items', [CatalogController, 'items']).as('invoicing.items.index').describe({
      summary: 'Catalog items (products and services) with their prices per currency',
      tag: TAG,
      resource: 'invoicing-item',
      list: true,
      permission: read,
    })
    router.post('/items', [CatalogController, 'storeItem']).as('invoicing.items.store').describe({
      summary: 'Add an item to the catalog (prices in minor units, one per currency)',
      tag: TAG,
      body: createItemValidator,
      resource: 'invoicing-item',
      permission: write,
      status: 201,
    })
    router
      .get('/items/:id', [CatalogController, 'showItem'])
      .as('invoicing.items.show')
      .where('id', id)
      .describe({ summary: 'Show an item', tag: TAG, resource: 'invoicing-item', permission: read })
    router
      .patch('/items/:id', [CatalogController, 'updateItem'])
      .as('invoicing.items.update')
      .where('id', id)
      .describe({
        summary: 'Change an item (prices given replace its prices; archived: true retires it)',
        tag: TAG,
        body: updateItemValidator,
        resource: 'invoicing-item',
        permission: write,
      })
    router
      .get('/tax-rates', [CatalogController, 'taxRates'])
      .as('invoicing.tax_rates.index')
      .describe({
        summary: 'Tax rates',
        tag: TAG,
        resource: 'invoicing-tax-rate',
        list: true,
        permission: read,
      })
    router
      .post('/tax-rates', [CatalogController, 'storeTaxRate'])
      .as('invoicing.tax_rates.store')
      .describe({
        summary: 'Add a tax rate (percent 0-100, up to 4 decimals; inclusive or exclusive)',
        tag: TAG,
        body: createTaxRateValidator,
        resource: 'invoicing-tax-rate',
        permission: write,
        status: 201,
      })
    router
      .get('/tax-rates/:id', [CatalogController, 'showTaxRate'])
      .as('invoicing.tax_rates.show')
      .where('id', id)
      .describe({
        summary: 'Show a tax rate',
        tag: TAG,
        resource: 'invoicing-tax-rate',
        permission: read,
      })
    router
      .patch('/tax-rates/:id', [CatalogController, 'updateTaxRate'])
      .as('invoicing.tax_rates.update')
      .where('id', id)
      .describe({
        summary: 'Rename or archive a tax rate (its rate never changes)',
        tag: TAG,
        body: updateTaxRateValidator,
        resource: 'invoicing-tax-rate',
        permission: write,
      })

    /* quotes */
    router.get('/quotes', [QuotesController, 'index']).as('invoicing.quotes.index').describe({
      summary: 'Quotes',
      tag: TAG,
      resource: 'invoicing-quote',
      list: true,
      permission: read,
    })
    router.post('/quotes', [QuotesController, 'store']).as('invoicing.quotes.store').describe({
      summary: 'Write a quote (expiry in the future; deposit at most the total)',
      tag: TAG,
      body: createQuoteValidator,
      resource: 'invoicing-quote',
      permission: write,
      status: 201,
    })
    router
      .get('/quotes/:id', [QuotesController, 'show'])
      .as('invoicing.quotes.show')
      .where('id', id)
      .describe({
        summary: 'Show a quote',
        tag: TAG,
        resource: 'invoicing-quote',
        permission: read,
      })
    router
      .patch('/quotes/:id', [QuotesController, 'update'])
      .as('invoicing.quotes.update')
      .where('id', id)
      .describe({
        summary: 'Change a draft quote (lines given replace its lines)',
        tag: TAG,
        body: updateQuoteValidator,
        resource: 'invoicing-quote',
        permission: write,
        errors: [409],
      })
    router
      .post('/quotes/:id/send', [QuotesController, 'send'])
      .as('invoicing.quotes.send')
      .where('id', id)
      .describe({
        summary: 'Send a quote to its client',
        tag: TAG,
        resource: 'invoicing-quote',
        permission: write,
        errors: [409],
      })
    router
      .post('/quotes/:id/approve', [QuotesController, 'approve'])
      .as('invoicing.quotes.approve')
      .where('id', id)
      .describe({
        summary:
          "Approve a sent quote with the client's typed name as signature (not once expired)",
        tag: TAG,
        body: approveQuoteValidator,
        resource: 'invoicing-quote',
        permission: write,
        errors: [409],
      })
    router
      .post('/quotes/:id/convert', [QuotesController, 'convert'])
      .as('invoicing.quotes.convert')
      .where('id', id)
      .describe({
        summary:
          'Convert an approved quote into an invoice (meta.invoiceId; issue: true issues it)',
        tag: TAG,
        body: convertQuoteValidator,
        resource: 'invoicing-quote',
        permission: write,
        status: 201,
        errors: [409],
      })

    /* invoices and credit notes */
    router.get('/invoices', [InvoicesController, 'index']).as('invoicing.invoices.index').describe({
      summary: 'Invoices (filter[status], filter[clientId], filter[currency])',
      tag: TAG,
      resource: 'invoicing-invoice',
      list: true,
      permission: read,
    })
    router
      .post('/invoices', [InvoicesController, 'store'])
      .as('invoicing.invoices.store')
      .describe({
        summary: 'Write a draft invoice (one currency; numbered when sent)',
        tag: TAG,
        body: createInvoiceValidator,
        resource: 'invoicing-invoice',
        permission: write,
        status: 201,
      })
    router
      .get('/invoices/:id', [InvoicesController, 'show'])
      .as('invoicing.invoices.show')
      .where('id', id)
      .describe({
        summary: 'Show an invoice',
        tag: TAG,
        resource: 'invoicing-invoice',
        permission: read,
      })
    router
      .patch('/invoices/:id', [InvoicesController, 'update'])
      .as('invoicing.invoices.update')
      .where('id', id)
      .describe({
        summary: "Change a draft invoice (a sent invoice's lines never change: 409)",
        tag: TAG,
        body: updateInvoiceValidator,
        resource: 'invoicing-invoice',
        permission: write,
        errors: [409],
      })
    router
      .delete('/invoices/:id', [InvoicesController, 'destroy'])
      .as('invoicing.invoices.destroy')
      .where('id', id)
      .describe({
        summary: 'Delete a draft invoice (issued ones are voided, paid ones stay)',
        tag: TAG,
        permission: write,
        status: 204,
        errors: [409],
      })
    router
      .post('/invoices/:id/send', [InvoicesController, 'send'])
      .as('invoicing.invoices.send')
      .where('id', id)
      .describe({
        summary:
          'Issue and send a draft: next number, due date, ledger posting (AR / revenue / tax)',
        tag: TAG,
        body: sendInvoiceValidator,
        resource: 'invoicing-invoice',
        permission: write,
        errors: [409],
      })
    router
      .post('/invoices/:id/void', [InvoicesController, 'void'])
      .as('invoicing.invoices.void')
      .where('id', id)
      .describe({
        summary: 'Void an invoice without payments or credits (posts the reversal)',
        tag: TAG,
        body: voidInvoiceValidator,
        resource: 'invoicing-invoice',
        permission: write,
        errors: [409],
      })
    router
      .get('/invoices/:id/pdf', [InvoicesController, 'pdf'])
      .as('invoicing.invoices.pdf')
      .where('id', id)
      .describe({
        summary: 'The invoice as a PDF',
        tag: TAG,
        permission: read,
        schema: { type: 'string', format: 'binary', description: 'application/pdf' },
      })
    router
      .get('/invoices/:id/credit-notes', [InvoicesController, 'creditNotes'])
      .as('invoicing.credit_notes.index')
      .where('id', id)
      .describe({
        summary: 'Credit notes of an invoice',
        tag: TAG,
        resource: 'invoicing-credit-note',
        list: true,
        permission: read,
      })
    router
      .post('/invoices/:id/credit-notes', [InvoicesController, 'storeCreditNote'])
      .as('invoicing.credit_notes.store')
      .where('id', id)
      .describe({
        summary: "Credit an issued invoice (at most its balance; posts the issue's opposite)",
        tag: TAG,
        body: createCreditNoteValidator,
        resource: 'invoicing-credit-note',
        permission: write,
        status: 201,
        errors: [409],
      })

    router
      .get('/credit-notes/:id', [InvoicesController, 'showCreditNote'])
      .as('invoicing.credit_notes.show')
      .where('id', id)
      .describe({
        summary: 'Show a credit note',
        tag: TAG,
        resource: 'invoicing-credit-note',
        permission: read,
      })
    router
      .get('/credit-notes/:id/pdf', [InvoicesController, 'creditNotePdf'])
      .as('invoicing.credit_notes.pdf')
      .where('id', id)
      .describe({
        summary: 'The credit note as a PDF',
        tag: TAG,
        permission: read,
        schema: { type: 'string', format: 'binary', description: 'application/pdf' },
      })

    /* payments and refunds */
    router
      .get('/invoices/:id/payments', [PaymentsController, 'ofInvoice'])
      .as('invoicing.invoices.payments.index')
      .where('id', id)
      .describe({
        summary: 'Payments applied to an invoice',
        tag: TAG,
        resource: 'invoicing-payment',
        list: true,
        permission: read,
      })
    router
      .post('/invoices/:id/payments', [PaymentsController, 'payInvoice'])
      .as('invoicing.invoices.payments.store')
      .where('id', id)
      .describe({
        summary: 'Record a payment of an invoice (partial or whole; never more than its balance)',
        tag: TAG,
        body: invoicePaymentValidator,
        resource: 'invoicing-payment',
        permission: payments,
        status: 201,
        errors: [409],
      })
    router
      .post('/clients/:clientId/payments', [PaymentsController, 'payClient'])
      .as('invoicing.clients.payments.store')
      .where('clientId', id)
      .describe({
        summary:
          "Record a client's payment without an invoice: applied to its oldest open invoices in that currency first",
        tag: TAG,
        body: clientPaymentValidator,
        resource: 'invoicing-payment',
        permission: payments,
        status: 201,
      })
    router.get('/payments', [PaymentsController, 'index']).as('invoicing.payments.index').describe({
      summary: 'Payments with the invoices they were applied to',
      tag: TAG,
      resource: 'invoicing-payment',
      list: true,
      permission: read,
    })
    router
      .get('/payments/:id', [PaymentsController, 'show'])
      .as('invoicing.payments.show')
      .where('id', id)
      .describe({
        summary: 'Show a payment',
        tag: TAG,
        resource: 'invoicing-payment',
        permission: read,
      })
    router
      .get('/payments/:id/refunds', [PaymentsController, 'refunds'])
      .as('invoicing.payments.refunds.index')
      .where('id', id)
      .describe({
        summary: 'Refunds of a payment',
        tag: TAG,
        resource: 'invoicing-refund',
        list: true,
        permission: read,
      })
    router
      .post('/payments/:id/refunds', [PaymentsController, 'refund'])
      .as('invoicing.payments.refunds.store')
      .where('id', id)
      .describe({
        summary: 'Refund part or all of a payment (at most what is left of it)',
        tag: TAG,
        body: refundValidator,
        resource: 'invoicing-refund',
        permission: payments,
        status: 201,
      })

    /* reports */
    router
      .get('/reports/ar-aging', [ReportsController, 'arAging'])
      .as('invoicing.reports.ar_aging')
      .describe({
        summary:
          'AR aging per client and currency: current, 1-30, 31-60, 61-90, 90+ days past due (?asOf=, ?currency=)',
        tag: TAG,
        resource: 'invoicing-ar-aging',
        list: true,
        permission: 'invoicing.reports',
      })
  },

  /* demo data for `npm start` (services/demo_data.ts) */
  demo: () => seedInvoicingDemo(),
})
