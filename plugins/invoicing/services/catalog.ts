import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError, audit, parseMinorUnits } from '#plinth'
import Item from '../models/item.js'
import ItemPrice from '../models/item_price.js'
import TaxRate from '../models/tax_rate.js'
import { parseRatePercent } from './amounts.js'

/* The catalog: tax rates and items (products, services) with a price per currency. */

export async function createTaxRate(input: {
  name: string
  rate: string | number
  inclusive?: boolean
}) {
  const ratePpm = parseRatePercent(input.rate)
  if (ratePpm === null)
    throw ApiError.validation('rate', 'The rate must be a percentage from 0 to 100')
  return db.transaction(async (trx) => {
    const rate = await TaxRate.create(
      { name: input.name, ratePpm, inclusive: input.inclusive ?? false, archived: false },
      { client: trx }
    )
    await audit(
      {
        action: 'invoicing.tax_rate.created',
        subjectType: 'invoicing-tax-rate',
        subjectId: rate.id,
      },
      trx
    )
    return rate
  })
}

export async function updateTaxRate(id: number, input: { name?: string; archived?: boolean }) {
  return db.transaction(async (trx) => {
    const rate = await TaxRate.query({ client: trx }).where('id', id).forUpdate().first()
    if (!rate) throw ApiError.notFound('Tax rate')
    rate.merge({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.archived !== undefined ? { archived: input.archived } : {}),
    })
    await rate.useTransaction(trx).save()
    await audit(
      {
        action: 'invoicing.tax_rate.updated',
        subjectType: 'invoicing-tax-rate',
        subjectId: rate.id,
      },
      trx
    )
    return rate
  })
}

type PriceInput = { currency: string; unitPrice: string | number }
export type ItemInput = {
  kind?: 'product' | 'service'
  name?: string
  description?: string | null
  taxRateId?: number | null
  prices?: PriceInput[]
  archived?: boolean
}

async function checkTaxRate(id: number | null | undefined, trx: TransactionClientContract) {
  if (id === null || id === undefined) return
  const rate = await TaxRate.query({ client: trx }).where('id', id).first()
  if (!rate || rate.archived)
    throw ApiError.validation('taxRateId', `Tax rate ${id} does not exist`)
}

async function replacePrices(item: Item, prices: PriceInput[], trx: TransactionClientContract) {
  const rows = prices.map((price, index) => {
    const parsed = parseMinorUnits(price.unitPrice)
    if (!parsed.ok || parsed.value < 0n)
      throw ApiError.validation(
        `prices/${index}/unitPrice`,
        'The unit price must be a non-negative number of minor units'
      )
    return { itemId: item.id, currency: price.currency, unitPrice: parsed.value }
  })
  await ItemPrice.query({ client: trx }).where('item_id', item.id).delete()
  await ItemPrice.createMany(rows, { client: trx })
}

export async function createItem(input: ItemInput & { kind: 'product' | 'service'; name: string }) {
  return db.transaction(async (trx) => {
    await checkTaxRate(input.taxRateId, trx)
    const item = await Item.create(
      {
        kind: input.kind,
        name: input.name,
        description: input.description ?? null,
        taxRateId: input.taxRateId ?? null,
        archived: false,
      },
      { client: trx }
    )
    await replacePrices(item, input.prices ?? [], trx)
    await audit(
      { action: 'invoicing.item.created', subjectType: 'invoicing-item', subjectId: item.id },
      trx
    )
    return item
  })
}

export async function updateItem(id: number, input: ItemInput) {
  return db.transaction(async (trx) => {
    const item = await Item.query({ client: trx }).where('id', id).forUpdate().first()
    if (!item) throw ApiError.notFound('Item')
    await checkTaxRate(input.taxRateId, trx)
    item.merge({
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.taxRateId !== undefined ? { taxRateId: input.taxRateId } : {}),
      ...(input.archived !== undefined ? { archived: input.archived } : {}),
    })
    await item.useTransaction(trx).save()
    if (input.prices) await replacePrices(item, input.prices, trx)
    await audit(
      { action: 'invoicing.item.updated', subjectType: 'invoicing-item', subjectId: item.id },
      trx
    )
    return item
  })
}
