import type { HttpContext } from '@adonisjs/core/http'
import { ApiError, paginate, single, validateAttributes } from '#plinth'
import Item from '../models/item.js'
import TaxRate from '../models/tax_rate.js'
import { createItemValidator, updateItemValidator } from '../validators/item_validator.js'
import { createTaxRateValidator, updateTaxRateValidator } from '../validators/tax_rate_validator.js'
import { createItem, createTaxRate, updateItem, updateTaxRate } from '../services/catalog.js'
import { itemResource, taxRateResource } from '../services/resources.js'

const withPrices = () => Item.query().preload('prices', (q) => q.orderBy('currency'))

async function loadItem(id: number) {
  const item = await withPrices().where('id', id).first()
  if (!item) throw ApiError.notFound('Item')
  return item
}

async function loadRate(id: number) {
  const rate = await TaxRate.query().where('id', id).first()
  if (!rate) throw ApiError.notFound('Tax rate')
  return rate
}

export default class CatalogController {
  async items(ctx: HttpContext) {
    return paginate(
      ctx,
      withPrices(),
      {
        sortable: { id: 'id', name: 'name', createdAt: 'created_at' },
        filterable: {
          kind: 'kind',
          archived: { column: 'archived', type: 'boolean' },
        },
        searchable: ['name'],
        defaultSort: 'name',
      },
      itemResource
    )
  }

  async storeItem(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createItemValidator)
    const item = await createItem(input)
    ctx.response.status(201)
    return single(itemResource(await loadItem(item.id)))
  }

  async showItem({ params }: HttpContext) {
    return single(itemResource(await loadItem(params.id)))
  }

  async updateItem(ctx: HttpContext) {
    await loadItem(ctx.params.id)
    const input = await validateAttributes(ctx, updateItemValidator)
    await updateItem(ctx.params.id, input)
    return single(itemResource(await loadItem(ctx.params.id)))
  }

  async taxRates(ctx: HttpContext) {
    return paginate(
      ctx,
      TaxRate.query(),
      {
        sortable: { id: 'id', name: 'name', createdAt: 'created_at' },
        filterable: { archived: { column: 'archived', type: 'boolean' } },
        defaultSort: 'name',
      },
      taxRateResource
    )
  }

  async storeTaxRate(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createTaxRateValidator)
    const rate = await createTaxRate(input)
    ctx.response.status(201)
    return single(taxRateResource(await loadRate(rate.id)))
  }

  async showTaxRate({ params }: HttpContext) {
    return single(taxRateResource(await loadRate(params.id)))
  }

  async updateTaxRate(ctx: HttpContext) {
    await loadRate(ctx.params.id)
    const input = await validateAttributes(ctx, updateTaxRateValidator)
    return single(taxRateResource(await updateTaxRate(ctx.params.id, input)))
  }
}
