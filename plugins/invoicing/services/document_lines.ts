import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError, parseMinorUnits } from '#plinth'
import Item from '../models/item.js'
import ItemPrice from '../models/item_price.js'
import Line from '../models/line.js'
import TaxRate from '../models/tax_rate.js'
import { lineAmounts, parseQuantity, sumLines, type LineAmounts } from './amounts.js'

/* A line as callers give it (API body or another plugin through public.ts). */
export type LineInput = {
  itemId?: number
  description?: string
  /* positive, at most 3 decimals: 2, "1.5" */
  quantity: number | string
  /* minor units ≥ 0 (string or safe integer); defaults to the item's price in the document currency */
  unitPrice?: string | number | bigint
  /* must equal the document's currency when given */
  currency?: string
  /* defaults to the item's tax rate; null for none */
  taxRateId?: number | null
}

export type BuiltLine = LineAmounts & {
  position: number
  itemId: number | null
  description: string
  quantityMilli: bigint
  unitPrice: bigint
  taxRateId: number | null
  taxRatePpm: number
  taxInclusive: boolean
}

export type BuiltLines = { lines: BuiltLine[]; totals: LineAmounts }

const at = (index: number, field: string) => `lines/${index}/${field}`

/*
 * Resolves catalog items, prices and tax rates of the tenant and computes
 * every line exactly. Refuses (422, pointing at the line) a line in another
 * currency, an unknown item or tax rate, a negative price or quantity.
 */
export async function buildLines(
  inputs: LineInput[],
  currency: string,
  trx?: TransactionClientContract
): Promise<BuiltLines> {
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw ApiError.validation('lines', 'At least one line is required')
  const client = trx ? { client: trx } : {}
  const itemIds = [...new Set(inputs.map((line) => line.itemId).filter((v) => v !== undefined))]
  const items = new Map(
    (itemIds.length ? await Item.query(client).whereIn('id', itemIds as number[]) : []).map(
      (item) => [item.id, item]
    )
  )
  const prices = new Map(
    (itemIds.length
      ? await ItemPrice.query(client)
          .whereIn('item_id', itemIds as number[])
          .where('currency', currency)
      : []
    ).map((price) => [price.itemId, price.unitPrice])
  )
  const rateIds = new Set<number>()
  for (const line of inputs) {
    if (typeof line.taxRateId === 'number') rateIds.add(line.taxRateId)
    const item = line.itemId !== undefined ? items.get(line.itemId) : undefined
    if (line.taxRateId === undefined && item?.taxRateId) rateIds.add(item.taxRateId)
  }
  const rates = new Map(
    (rateIds.size ? await TaxRate.query(client).whereIn('id', [...rateIds]) : []).map((rate) => [
      rate.id,
      rate,
    ])
  )

  const lines = inputs.map((input, index): BuiltLine => {
    if (input.currency !== undefined && input.currency !== currency)
      throw new ApiError(
        422,
        'CURRENCY_MISMATCH',
        `Line ${index + 1} is in ${input.currency} but the document is in ${currency}: one currency per document, nothing is converted`,
        { pointer: `/data/attributes/${at(index, 'currency')}` }
      )
    const item = input.itemId !== undefined ? items.get(input.itemId) : undefined
    if (input.itemId !== undefined && (!item || item.archived))
      throw ApiError.validation(at(index, 'itemId'), `Item ${input.itemId} is not in the catalog`)
    const quantityMilli = parseQuantity(input.quantity)
    if (quantityMilli === null)
      throw ApiError.validation(
        at(index, 'quantity'),
        'The quantity must be a positive number with at most 3 decimals'
      )
    let unitPrice: bigint
    if (input.unitPrice !== undefined) {
      const parsed =
        typeof input.unitPrice === 'bigint'
          ? { ok: true as const, value: input.unitPrice }
          : parseMinorUnits(input.unitPrice)
      if (!parsed.ok)
        throw ApiError.validation(at(index, 'unitPrice'), `unitPrice ${parsed.reason}`)
      if (parsed.value < 0n)
        throw ApiError.validation(at(index, 'unitPrice'), 'The unitPrice must not be negative')
      unitPrice = parsed.value
    } else if (item) {
      const price = prices.get(item.id)
      if (price === undefined)
        throw ApiError.validation(
          at(index, 'unitPrice'),
          `Item ${item.id} has no price in ${currency}: give unitPrice`
        )
      unitPrice = price
    } else {
      throw ApiError.validation(at(index, 'unitPrice'), 'A line without an item needs a unitPrice')
    }
    const description = input.description ?? item?.name
    if (!description)
      throw ApiError.validation(
        at(index, 'description'),
        'A line without an item needs a description'
      )

    const rateId = input.taxRateId !== undefined ? input.taxRateId : (item?.taxRateId ?? null)
    const rate = rateId !== null ? rates.get(rateId) : undefined
    if (rateId !== null && (!rate || (rate.archived && input.taxRateId !== undefined)))
      throw ApiError.validation(at(index, 'taxRateId'), `Tax rate ${rateId} does not exist`)
    const ratePpm = rate?.ratePpm ?? 0
    const inclusive = rate?.inclusive ?? false
    const amounts = lineAmounts({ quantityMilli, unitPrice, ratePpm, inclusive })
    return {
      position: index + 1,
      itemId: item?.id ?? null,
      description,
      quantityMilli,
      unitPrice,
      taxRateId: rate?.id ?? null,
      taxRatePpm: ratePpm,
      taxInclusive: inclusive,
      ...amounts,
    }
  })
  return { lines, totals: sumLines(lines) }
}

/* Replaces the document's lines with the built ones, in the transaction. */
export async function saveLines(
  owner: { quoteId: number } | { invoiceId: number },
  lines: BuiltLine[],
  trx: TransactionClientContract
) {
  const where = 'quoteId' in owner ? { quote_id: owner.quoteId } : { invoice_id: owner.invoiceId }
  await Line.query({ client: trx }).where(where).delete()
  await Line.createMany(
    lines.map((line) => ({
      quoteId: 'quoteId' in owner ? owner.quoteId : null,
      invoiceId: 'invoiceId' in owner ? owner.invoiceId : null,
      ...line,
    })),
    { client: trx }
  )
}
