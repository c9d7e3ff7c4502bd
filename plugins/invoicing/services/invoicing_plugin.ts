import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { PluginContext } from '#plinth'
import { defineEvent } from '#plinth'

/*
 * The invoicing plugin's kernel context, handed over at boot (routes) and to
 * jobs. Services read settings, post to the ledger and publish events
 * through it, never through kernel modules.
 */
let current: PluginContext | null = null

export const invoicingPlugin = {
  use(context: PluginContext) {
    current = context
  },
  get context(): PluginContext {
    if (!current) throw new Error('The invoicing plugin is used before the kernel booted it')
    return current
  },
  get booted() {
    return current !== null
  },
}

export type InvoicingSettings = {
  /* the seller's name on PDFs */
  companyName: string
  defaultTermsDays: number
  invoicePrefix: string
  creditNotePrefix: string
  accounts: { receivable: string; revenue: string; taxPayable: string; cash: string }
}

export const DEFAULT_SETTINGS: InvoicingSettings = {
  companyName: 'Our company',
  defaultTermsDays: 30,
  invoicePrefix: 'INV-',
  creditNotePrefix: 'CN-',
  accounts: { receivable: '1100', revenue: '4000', taxPayable: '2100', cash: '1020' },
}

/* the tenant's settings over the defaults; pass `trx` inside a transaction */
export async function invoicingSettings(
  trx?: TransactionClientContract
): Promise<InvoicingSettings> {
  const stored = (await invoicingPlugin.context.use('settings.read').get({ trx })) as Record<
    string,
    any
  >
  return {
    companyName: stored.companyName ?? DEFAULT_SETTINGS.companyName,
    defaultTermsDays: stored.defaultTermsDays ?? DEFAULT_SETTINGS.defaultTermsDays,
    invoicePrefix: stored.invoicePrefix ?? DEFAULT_SETTINGS.invoicePrefix,
    creditNotePrefix: stored.creditNotePrefix ?? DEFAULT_SETTINGS.creditNotePrefix,
    accounts: { ...DEFAULT_SETTINGS.accounts, ...(stored.accounts ?? {}) },
  }
}

const DOCUMENT_EVENT = {
  type: 'object',
  required: ['invoiceId'],
  properties: {
    invoiceId: { type: 'integer' },
    number: { type: ['string', 'null'] },
    clientId: { type: ['integer', 'null'] },
    currency: { type: 'string' },
    total: { type: 'string' },
    balance: { type: 'string' },
    dueDate: { type: ['string', 'null'] },
    daysOverdue: { type: 'integer' },
    sourceReference: { type: ['string', 'null'] },
  },
}

/* the events the plugin publishes, each written in the change's transaction */
export const INVOICE_EVENTS = ['issued', 'sent', 'paid', 'voided', 'overdue'] as const
for (const verb of INVOICE_EVENTS)
  defineEvent({ name: `invoicing.invoice.${verb}`, version: 1, schema: DOCUMENT_EVENT })
defineEvent({ name: 'invoicing.credit_note.issued', version: 1, schema: DOCUMENT_EVENT })
defineEvent({
  name: 'invoicing.quote.approved',
  version: 1,
  schema: {
    type: 'object',
    required: ['quoteId'],
    properties: { quoteId: { type: 'integer' }, signatureName: { type: 'string' } },
  },
})
const PAYMENT_EVENT = {
  type: 'object',
  required: ['paymentId'],
  properties: {
    paymentId: { type: 'integer' },
    clientId: { type: 'integer' },
    currency: { type: 'string' },
    amount: { type: 'string' },
    invoiceIds: { type: 'array', items: { type: 'integer' } },
  },
}
defineEvent({ name: 'invoicing.payment.received', version: 1, schema: PAYMENT_EVENT })
defineEvent({ name: 'invoicing.payment.refunded', version: 1, schema: PAYMENT_EVENT })

export function publish(
  name: string,
  aggregate: { type: string; id: number },
  payload: Record<string, unknown>,
  trx: TransactionClientContract
) {
  return invoicingPlugin.context.use('events.publish').publish({ name, aggregate, payload }, trx)
}
