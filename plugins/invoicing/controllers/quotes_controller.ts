import type { HttpContext } from '@adonisjs/core/http'
import { ApiError, paginate, single, validateAttributes } from '#plinth'
import Quote from '../models/quote.js'
import {
  approveQuoteValidator,
  convertQuoteValidator,
  createQuoteValidator,
  updateQuoteValidator,
} from '../validators/quote_validator.js'
import {
  approveQuote,
  convertQuote,
  createQuote,
  sendQuote,
  updateQuote,
} from '../services/quotes.js'
import { quoteResource } from '../services/resources.js'

const withLines = () => Quote.query().preload('lines', (q) => q.orderBy('position'))

async function loadQuote(id: number) {
  const quote = await withLines().where('id', id).first()
  if (!quote) throw ApiError.notFound('Quote')
  return quote
}

export default class QuotesController {
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      withLines(),
      {
        sortable: { id: 'id', expiresOn: 'expires_on', createdAt: 'created_at' },
        filterable: { status: 'status', clientId: 'client_id', currency: 'currency' },
        defaultSort: '-id',
      },
      quoteResource
    )
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createQuoteValidator)
    const quote = await createQuote(input)
    ctx.response.status(201)
    return single(quoteResource(await loadQuote(quote.id)))
  }

  async show({ params }: HttpContext) {
    return single(quoteResource(await loadQuote(params.id)))
  }

  async update(ctx: HttpContext) {
    await loadQuote(ctx.params.id)
    const input = await validateAttributes(ctx, updateQuoteValidator)
    await updateQuote(ctx.params.id, input)
    return single(quoteResource(await loadQuote(ctx.params.id)))
  }

  async send({ params }: HttpContext) {
    await loadQuote(params.id)
    await sendQuote(params.id)
    return single(quoteResource(await loadQuote(params.id)))
  }

  async approve(ctx: HttpContext) {
    await loadQuote(ctx.params.id)
    const input = await validateAttributes(ctx, approveQuoteValidator)
    await approveQuote(ctx.params.id, input)
    return single(quoteResource(await loadQuote(ctx.params.id)))
  }

  async convert(ctx: HttpContext) {
    await loadQuote(ctx.params.id)
    const input = await validateAttributes(ctx, convertQuoteValidator)
    const { invoiceId } = await convertQuote(ctx.params.id, input)
    ctx.response.status(201)
    return single(quoteResource(await loadQuote(ctx.params.id)), { invoiceId: String(invoiceId) })
  }
}
