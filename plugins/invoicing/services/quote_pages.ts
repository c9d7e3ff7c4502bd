import { ApiError, type PluginActionContext, type PluginPageContext } from '#plinth'
import Quote, { type QuoteStatus } from '../models/quote.js'
import Invoice from '../models/invoice.js'
import { approveQuoteValidator, convertQuoteValidator } from '../validators/quote_validator.js'
import { approveQuote, convertQuote, sendQuote } from './quotes.js'
import { findClient } from './clients.js'
import { quoteResource } from './resources.js'
import { today } from './dates.js'
import { clientNames, flat, idOf, oneOf, pageNumber } from './invoicing_pages.js'

const PAGE_SIZE = 50
const QUOTE_STATUSES: readonly QuoteStatus[] = ['draft', 'sent', 'approved', 'converted']

async function loadQuote(id: number | null) {
  const quote = id
    ? await Quote.query()
        .where('id', id)
        .preload('lines', (q) => q.orderBy('position'))
        .first()
    : null
  if (!quote) throw ApiError.notFound('Quote')
  return quote
}

/* GET /app/invoicing/quotes: newest first, ?status=, 50 a page. */
export async function quoteListProps(ctx: PluginPageContext) {
  const status = oneOf(ctx.query.status, QUOTE_STATUSES)
  const query = Quote.query()
  if (status) query.where('status', status)
  const result = await query.orderBy('id', 'desc').paginate(pageNumber(ctx.query.page), PAGE_SIZE)
  const quotes = result.all()
  const names = await clientNames(quotes.map((quote) => quote.clientId))
  const day = today()
  return {
    filters: { status: status ?? '' },
    statuses: QUOTE_STATUSES,
    quotes: quotes.map((quote) => ({
      id: quote.id,
      status: quote.status,
      clientId: quote.clientId,
      clientName: quote.clientId ? (names[quote.clientId] ?? null) : null,
      currency: quote.currency,
      total: quote.total.toString(),
      expiresOn: quote.expiresOn,
      expired: quote.expiresOn < day && ['draft', 'sent'].includes(quote.status),
      invoiceId: quote.invoiceId,
    })),
    pagination: { page: result.currentPage, totalPages: result.lastPage, total: result.total },
    can: { write: ctx.permissions.has('invoicing.write') },
  }
}

/* GET /app/invoicing/quotes/:id: lines, totals, deposit, signature; send / approve / convert. */
export async function quoteDetailProps(ctx: PluginPageContext) {
  const quote = await loadQuote(idOf(ctx.params.id))
  const client = quote.clientId ? await findClient(quote.clientId) : null
  const invoice = quote.invoiceId
    ? await Invoice.query().where('id', quote.invoiceId).select('id', 'display_number').first()
    : null
  return {
    quote: flat(quoteResource(quote)),
    client: client ? { id: client.id, name: client.name, email: client.email } : null,
    invoice: invoice ? { id: invoice.id, number: invoice.displayNumber } : null,
    expired: quote.expiresOn < today(),
    can: { write: ctx.permissions.has('invoicing.write') },
  }
}

/* POST /quotes/:id/send */
export async function sendQuoteAction(ctx: PluginActionContext) {
  const quote = await loadQuote(idOf(ctx.params.id))
  await sendQuote(quote.id)
  return { notice: `Quote ${quote.id} sent.` }
}

/* POST /quotes/:id/approve: the client's name typed as the signature (not once expired) */
export async function approveQuoteAction(ctx: PluginActionContext) {
  const quote = await loadQuote(idOf(ctx.params.id))
  const input = await approveQuoteValidator.validate({ signatureName: ctx.body.signatureName })
  await approveQuote(quote.id, input)
  return { notice: `Quote ${quote.id} approved by ${input.signatureName}.` }
}

/* POST /quotes/:id/convert: to a draft invoice (or issued at once with issue: true); opens it */
export async function convertQuoteAction(ctx: PluginActionContext) {
  const quote = await loadQuote(idOf(ctx.params.id))
  const input = await convertQuoteValidator.validate({ issue: ctx.body.issue === true })
  const { invoiceId } = await convertQuote(quote.id, input)
  return {
    redirectTo: `/invoices/${invoiceId}`,
    notice: `Quote ${quote.id} converted into an invoice.`,
  }
}
