import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError, isPluginEnabled, tenantContext } from '#plinth'
import Invoice from './models/invoice.js'
import {
  createInvoice as createDraft,
  issueInvoice,
  type CreateInvoiceInput,
} from './services/invoices.js'
import { invoicingSettings } from './services/invoicing_plugin.js'

/*
 * The invoicing plugin's public surface for other plugins (import
 * "plugins/invoicing/public", or packaged, the plugin's "./public" export).
 * A plugin that bills a client (salon: an appointment done) declares
 * `requires: { plugins: { invoicing: '^1.0.0' } }` or checks at run time:
 *
 *   if (await isInvoicingEnabled()) {
 *     const invoice = await createInvoice({
 *       clientId: 12,                          // a CRM client of the tenant
 *       currency: 'EUR',                       // ISO 4217; every line in it
 *       lines: [{ description: 'Haircut', quantity: 1, unitPrice: '3500', taxRateId: 3 }],
 *       sourceReference: 'salon:appointment:981',
 *       issue: true,                           // number + ledger posting now
 *       trx,                                   // optional: join your transaction
 *     })
 *   }
 *
 * Rules:
 * - runs for the tenant in context (requests, jobs and subscribers have one);
 * - amounts are integer minor units (string, safe integer or bigint), never
 *   floats; quantities have at most 3 decimals; lines may name a catalog
 *   `itemId` instead of a price (its price in the invoice's currency);
 * - `sourceReference` makes the call idempotent: a second call with the same
 *   reference returns the invoice already made for it (unless it was voided),
 *   issuing it if `issue` is asked and it is still a draft;
 * - bad input throws an ApiError (422 with a pointer at the field), so a
 *   controller calling this answers a clear 4xx and nothing is written;
 * - with `trx`, everything (invoice, number, ledger entry, events) commits or
 *   rolls back with the caller's transaction. Call isInvoicingEnabled() before
 *   opening it: createInvoice checks it only when it runs its own transaction.
 */
export type BillingLine = {
  description?: string
  itemId?: number
  /* positive, at most 3 decimals: 1, "1.5" */
  quantity: number | string
  /* minor units ≥ 0: "3500" is 35.00 EUR */
  unitPrice?: string | number | bigint
  taxRateId?: number | null
}

export type CreateInvoiceRequest = {
  clientId: number
  currency: string
  lines: BillingLine[]
  /* "<plugin id>:<what>:<id>", at most 200 characters */
  sourceReference: string
  issue?: boolean
  termsDays?: number
  dueDate?: string
  notes?: string
  trx?: TransactionClientContract
}

export type BilledInvoice = {
  id: number
  /* "INV-00012" once issued, null for a draft */
  number: string | null
  status: string
  currency: string
  /* minor units, as strings */
  total: string
  balance: string
  dueDate: string | null
  sourceReference: string | null
  /* false when an earlier call with the same sourceReference made it */
  created: boolean
}

/* Has the tenant in context (or the one given) switched invoicing on? */
export async function isInvoicingEnabled(tenantId?: number): Promise<boolean> {
  const tenant = tenantId ?? tenantContext.tenantId
  if (tenant === null || tenant === undefined) return false
  return isPluginEnabled(tenant, 'invoicing')
}

const billed = (invoice: Invoice, created: boolean): BilledInvoice => ({
  id: invoice.id,
  number: invoice.displayNumber,
  status: invoice.status,
  currency: invoice.currency,
  total: invoice.total.toString(),
  balance: (invoice.status === 'draft' ? invoice.total : invoice.balance).toString(),
  dueDate: invoice.dueDate,
  sourceReference: invoice.sourceReference,
  created,
})

/* Bills a client: a draft invoice, or an issued one with `issue: true` (see the rules above). */
export async function createInvoice(request: CreateInvoiceRequest): Promise<BilledInvoice> {
  if (!request.trx && !(await isInvoicingEnabled()))
    throw new ApiError(409, 'PLUGIN_NOT_ENABLED', 'Invoicing is not enabled for this tenant')
  if (typeof request.sourceReference !== 'string' || !request.sourceReference.trim())
    throw ApiError.validation('sourceReference', 'A sourceReference is required')
  const work = async (trx: TransactionClientContract) => {
    const settings = await invoicingSettings(trx)
    const existing = await Invoice.query({ client: trx })
      .where('kind', 'invoice')
      .where('source_reference', request.sourceReference)
      .whereNot('status', 'void')
      .orderBy('id')
      .first()
    let invoice = existing
    if (!invoice) {
      const input: CreateInvoiceInput = {
        clientId: request.clientId,
        currency: request.currency,
        lines: request.lines,
        sourceReference: request.sourceReference,
        termsDays: request.termsDays,
        dueDate: request.dueDate,
        notes: request.notes,
      }
      invoice = await createDraft(input, { trx, settings })
    }
    if (request.issue && invoice.status === 'draft')
      invoice = await issueInvoice(invoice.id, {}, { trx, settings })
    return billed(invoice, !existing)
  }
  return request.trx ? work(request.trx) : db.transaction(work)
}

/* An invoice of the tenant in context, as billing plugins see it (null if there is none). */
export async function findInvoice(
  id: number,
  options: { trx?: TransactionClientContract } = {}
): Promise<BilledInvoice | null> {
  const invoice = await Invoice.query({ client: options.trx })
    .where('kind', 'invoice')
    .where('id', id)
    .first()
  return invoice ? billed(invoice, false) : null
}
