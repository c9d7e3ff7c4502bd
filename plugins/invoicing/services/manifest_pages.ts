import type { PluginNavItem, PluginPage, PluginPageAction } from '#plinth'
import { invoiceDetailProps, invoiceListProps } from './invoice_pages.js'
import {
  creditNoteAction,
  creditNotePdfAction,
  invoicePdfAction,
  payInvoiceAction,
  sendInvoiceAction,
  voidInvoiceAction,
} from './invoice_pages.js'
import {
  approveQuoteAction,
  convertQuoteAction,
  quoteDetailProps,
  quoteListProps,
  sendQuoteAction,
} from './quote_pages.js'
import { clientPaymentAction, paymentListProps, refundAction } from './payment_pages.js'
import {
  archiveItemAction,
  archiveTaxRateAction,
  catalogProps,
  createItemAction,
  createTaxRateAction,
} from './catalog_pages.js'
import { agingProps } from './aging_pages.js'
import {
  createInvoiceAction,
  createQuoteAction,
  newInvoiceProps,
  newQuoteProps,
} from './new_document_pages.js'

/*
 * The manifest's `pages`, `actions` and `nav`: staff pages under
 * /app/invoicing; their form posts call the same services as the API.
 */
const read = 'invoicing.read'
const write = 'invoicing.write'
const payments = 'invoicing.payments'

export const invoicingPages: PluginPage[] = [
  {
    path: '/',
    component: 'invoices',
    title: 'Invoices',
    permission: read,
    props: invoiceListProps,
  },
  {
    path: '/invoices/new',
    component: 'new_document',
    title: 'New invoice',
    permission: write,
    props: newInvoiceProps,
  },
  {
    path: '/invoices/:id',
    component: 'invoice',
    title: 'Invoice',
    permission: read,
    props: invoiceDetailProps,
  },
  {
    path: '/quotes',
    component: 'quotes',
    title: 'Quotes',
    permission: read,
    props: quoteListProps,
  },
  {
    path: '/quotes/new',
    component: 'new_document',
    title: 'New quote',
    permission: write,
    props: newQuoteProps,
  },
  {
    path: '/quotes/:id',
    component: 'quote',
    title: 'Quote',
    permission: read,
    props: quoteDetailProps,
  },
  {
    path: '/payments',
    component: 'payments',
    title: 'Payments',
    permission: read,
    props: paymentListProps,
  },
  {
    path: '/catalog',
    component: 'catalog',
    title: 'Catalog',
    permission: read,
    props: catalogProps,
  },
  {
    path: '/reports/ar-aging',
    component: 'aging',
    title: 'AR aging',
    permission: 'invoicing.reports',
    props: agingProps,
  },
]

export const invoicingPageActions: PluginPageAction[] = [
  { path: '/invoices', permission: write, handle: createInvoiceAction },
  { path: '/quotes', permission: write, handle: createQuoteAction },
  { path: '/invoices/:id/send', permission: write, handle: sendInvoiceAction },
  { path: '/invoices/:id/void', permission: write, handle: voidInvoiceAction },
  { path: '/invoices/:id/credit-notes', permission: write, handle: creditNoteAction },
  { path: '/invoices/:id/payments', permission: payments, handle: payInvoiceAction },
  { path: '/invoices/:id/pdf', method: 'get', permission: read, handle: invoicePdfAction },
  { path: '/credit-notes/:id/pdf', method: 'get', permission: read, handle: creditNotePdfAction },
  { path: '/quotes/:id/send', permission: write, handle: sendQuoteAction },
  { path: '/quotes/:id/approve', permission: write, handle: approveQuoteAction },
  { path: '/quotes/:id/convert', permission: write, handle: convertQuoteAction },
  { path: '/payments', permission: payments, handle: clientPaymentAction },
  { path: '/payments/:id/refunds', permission: payments, handle: refundAction },
  { path: '/catalog/tax-rates', permission: write, handle: createTaxRateAction },
  { path: '/catalog/tax-rates/:id/archive', permission: write, handle: archiveTaxRateAction },
  { path: '/catalog/items', permission: write, handle: createItemAction },
  { path: '/catalog/items/:id/archive', permission: write, handle: archiveItemAction },
]

export const invoicingNav: PluginNavItem[] = [
  { label: 'Invoices', path: '/', order: 20 },
  { label: 'Quotes', path: '/quotes', order: 21 },
  { label: 'Payments', path: '/payments', order: 22 },
  { label: 'Catalog', path: '/catalog', order: 23 },
  { label: 'AR aging', path: '/reports/ar-aging', order: 24 },
]
