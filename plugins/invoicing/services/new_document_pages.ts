import type { PluginActionContext, PluginPageContext } from '#plinth'
import { searchClientIds } from '../../crm/public.js'
import Invoice from '../models/invoice.js'
import Item from '../models/item.js'
import TaxRate from '../models/tax_rate.js'
import { createInvoiceValidator } from '../validators/invoice_validator.js'
import { createQuoteValidator } from '../validators/quote_validator.js'
import { createInvoice } from './invoices.js'
import { createQuote } from './quotes.js'
import { invoicingSettings } from './invoicing_plugin.js'
import { addDays, today } from './dates.js'
import { clientNames, idOf, majorToMinor } from './invoicing_pages.js'

type Kind = 'invoice' | 'quote'
const CLIENT_CHOICES = 50

/*
 * GET /app/invoicing/invoices/new and /quotes/new: a draft written on the
 * page. The client is picked from the CRM's ranked search (?search=, reloaded
 * as you type) or, with no search, from the clients billed before; ?clientId=
 * preselects one. Active catalog items (with their prices per currency) and
 * tax rates fill the lines.
 */
async function newDocumentProps(kind: Kind, ctx: PluginPageContext) {
  const raw = ctx.query.search
  const search = typeof raw === 'string' ? raw.slice(0, 200).replaceAll('\u0000', '') : ''
  const preselected = idOf(ctx.query.clientId)
  let ids: number[]
  if (search.trim()) {
    const matches = await searchClientIds(search)
    ids = matches.slice(0, CLIENT_CHOICES)
  } else {
    // the clients billed most recently
    const billed = await Invoice.query()
      .whereNotNull('client_id')
      .select('client_id')
      .groupBy('client_id')
      .orderByRaw('MAX(id) DESC')
      .limit(CLIENT_CHOICES)
    ids = billed.map((row) => row.clientId!)
  }
  const names = await clientNames(preselected ? [preselected, ...ids] : ids)
  const [items, rates, settings] = await Promise.all([
    Item.query()
      .where('archived', false)
      .preload('prices', (q) => q.orderBy('currency'))
      .orderBy('name')
      .limit(1000),
    TaxRate.query().where('archived', false).orderBy('name'),
    invoicingSettings(),
  ])
  return {
    kind,
    search,
    clients: [...new Set(preselected && names[preselected] ? [preselected, ...ids] : ids)]
      .filter((id) => names[id])
      .map((id) => ({ id, name: names[id] })),
    clientId: preselected && names[preselected] ? preselected : null,
    items: items.map((item) => ({
      id: item.id,
      name: item.name,
      description: item.description,
      taxRateId: item.taxRateId,
      prices: item.prices.map((price) => ({
        currency: price.currency,
        unitPrice: price.unitPrice.toString(),
      })),
    })),
    taxRates: rates.map((rate) => ({ id: rate.id, name: rate.name, inclusive: rate.inclusive })),
    defaults: {
      currency: 'EUR',
      termsDays: settings.defaultTermsDays,
      expiresOn: addDays(today(), 30),
    },
  }
}

export const newInvoiceProps = (ctx: PluginPageContext) => newDocumentProps('invoice', ctx)
export const newQuoteProps = (ctx: PluginPageContext) => newDocumentProps('quote', ctx)

const text = (value: unknown) => (typeof value === 'string' ? value : '')
const blank = (value: unknown) => value === undefined || value === null || value === ''

/*
 * The page's lines as the services take them: unit prices typed in major
 * units become minor units (blank: the item's price); a blank tax rate is
 * none, unless the line is an item's (its own rate then).
 */
function linesOf(body: Record<string, unknown>, currency: string) {
  const rows = Array.isArray(body.lines) ? body.lines.slice(0, 200) : []
  return rows.map((raw, index) => {
    const line = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
    const itemId = idOf(line.itemId)
    return {
      ...(itemId ? { itemId } : {}),
      ...(text(line.description).trim() ? { description: text(line.description) } : {}),
      quantity: line.quantity as string | number,
      ...(blank(line.unitPrice)
        ? {}
        : { unitPrice: majorToMinor(line.unitPrice, currency, `lines.${index}.unitPrice`) }),
      ...(blank(line.taxRateId)
        ? itemId
          ? {}
          : { taxRateId: null }
        : { taxRateId: idOf(line.taxRateId) }),
    }
  })
}

const currencyOf = (body: Record<string, unknown>) => text(body.currency).trim().toUpperCase()

/* POST /invoices: a draft invoice; opens it */
export async function createInvoiceAction(ctx: PluginActionContext) {
  const currency = currencyOf(ctx.body)
  const input = await createInvoiceValidator.validate({
    clientId: idOf(ctx.body.clientId),
    currency,
    lines: linesOf(ctx.body, currency),
    ...(blank(ctx.body.termsDays) ? {} : { termsDays: Number(ctx.body.termsDays) }),
    notes: text(ctx.body.notes).trim() || null,
  })
  const invoice = await createInvoice(input)
  return { redirectTo: `/invoices/${invoice.id}`, notice: 'Draft invoice saved.' }
}

/* POST /quotes: a draft quote (expiry in the future, deposit at most the total); opens it */
export async function createQuoteAction(ctx: PluginActionContext) {
  const currency = currencyOf(ctx.body)
  const input = await createQuoteValidator.validate({
    clientId: idOf(ctx.body.clientId),
    currency,
    expiresOn: ctx.body.expiresOn,
    lines: linesOf(ctx.body, currency),
    ...(blank(ctx.body.deposit)
      ? {}
      : { deposit: majorToMinor(ctx.body.deposit, currency, 'deposit') }),
    notes: text(ctx.body.notes).trim() || null,
  })
  const quote = await createQuote(input)
  return { redirectTo: `/quotes/${quote.id}`, notice: 'Draft quote saved.' }
}
