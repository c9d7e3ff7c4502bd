import { ApiError, type PluginActionContext, type PluginPageContext } from '#plinth'
import Item from '../models/item.js'
import TaxRate from '../models/tax_rate.js'
import { createItemValidator } from '../validators/item_validator.js'
import { createTaxRateValidator } from '../validators/tax_rate_validator.js'
import { createItem, createTaxRate, updateItem, updateTaxRate } from './catalog.js'
import { itemResource, taxRateResource } from './resources.js'
import { flat, idOf, majorToMinor } from './invoicing_pages.js'

/* GET /app/invoicing/catalog: items with their prices per currency, and tax rates (archived last). */
export async function catalogProps(ctx: PluginPageContext) {
  const [items, rates] = await Promise.all([
    Item.query()
      .preload('prices', (q) => q.orderBy('currency'))
      .orderBy('archived')
      .orderBy('name')
      .limit(1000),
    TaxRate.query().orderBy('archived').orderBy('name'),
  ])
  return {
    items: items.map((item) => flat(itemResource(item))),
    taxRates: rates.map((rate) => flat(taxRateResource(rate))),
    can: { write: ctx.permissions.has('invoicing.write') },
  }
}

/* POST /catalog/tax-rates: name, rate in percent, inclusive or not */
export async function createTaxRateAction(ctx: PluginActionContext) {
  const input = await createTaxRateValidator.validate({
    name: ctx.body.name,
    rate: ctx.body.rate,
    inclusive: ctx.body.inclusive === true,
  })
  const rate = await createTaxRate(input)
  return { notice: `Tax rate ${rate.name} added.` }
}

/* POST /catalog/items: an item with one price (typed in major units of its currency) */
export async function createItemAction(ctx: PluginActionContext) {
  const currency = typeof ctx.body.currency === 'string' ? ctx.body.currency.toUpperCase() : ''
  const hasPrice = ctx.body.unitPrice !== undefined && ctx.body.unitPrice !== ''
  const input = await createItemValidator.validate({
    kind: ctx.body.kind,
    name: ctx.body.name,
    description: ctx.body.description || null,
    taxRateId: idOf(ctx.body.taxRateId),
    prices: hasPrice
      ? [{ currency, unitPrice: majorToMinor(ctx.body.unitPrice, currency, 'unitPrice') }]
      : [],
  })
  const item = await createItem(input)
  return { notice: `${item.name} added to the catalog.` }
}

/* POST /catalog/items/:id/archive and /catalog/tax-rates/:id/archive: { archived: boolean } */
export async function archiveItemAction(ctx: PluginActionContext) {
  const id = idOf(ctx.params.id)
  if (!id) throw ApiError.notFound('Item')
  const item = await updateItem(id, { archived: ctx.body.archived !== false })
  return { notice: `${item.name} ${item.archived ? 'archived' : 'restored'}.` }
}

export async function archiveTaxRateAction(ctx: PluginActionContext) {
  const id = idOf(ctx.params.id)
  if (!id) throw ApiError.notFound('Tax rate')
  const rate = await updateTaxRate(id, { archived: ctx.body.archived !== false })
  return { notice: `Tax rate ${rate.name} ${rate.archived ? 'archived' : 'restored'}.` }
}
