import { searchClientIds } from '../../crm/public.js'
import Invoice from '../models/invoice.js'
import Item from '../models/item.js'
import Quote from '../models/quote.js'
import TaxRate from '../models/tax_rate.js'
import { createItem, createTaxRate } from './catalog.js'
import { addDays, today } from './dates.js'
import { createInvoice, issueInvoice } from './invoices.js'
import { payInvoice } from './payments.js'
import { createQuote, sendQuote } from './quotes.js'

const CURRENCY = 'EUR'
/* the CRM demo's companies billed here, found by name */
const CLIENTS = [
  'Acme Facilities',
  'Brightside Dental',
  'Copperleaf Cafe',
  'Dunmore Logistics',
  'Harbour View Hotel',
  'Ironbridge School',
]

async function demoClientIds() {
  const ids: number[] = []
  for (const name of CLIENTS) {
    const [id] = await searchClientIds(name, { limit: 1 })
    if (id !== undefined && !ids.includes(id)) ids.push(id)
  }
  return ids
}

/*
 * Invoicing's demo data: a tax rate, three catalog items, a sent quote and six
 * invoices (a draft, one just sent, one partly paid, one paid, two overdue by
 * 1-30 and 31-60 days) so AR aging has several buckets. All through the
 * plugin's services, so numbers and ledger postings are real. Left alone when
 * the tenant has any catalog item, quote or invoice, or no CRM demo client.
 */
export async function seedInvoicingDemo() {
  if (await Invoice.query().first()) return
  if (await Quote.query().first()) return
  if (await Item.query().first()) return
  if (await TaxRate.query().first()) return
  const clients = await demoClientIds()
  if (!clients.length) return
  const client = (index: number) => clients[index % clients.length]

  const vat = await createTaxRate({ name: 'VAT 20%', rate: '20' })
  const cleaning = await createItem({
    kind: 'service',
    name: 'Office cleaning (hour)',
    taxRateId: vat.id,
    prices: [{ currency: CURRENCY, unitPrice: '3500' }],
  })
  const deepClean = await createItem({
    kind: 'service',
    name: 'Deep clean (visit)',
    taxRateId: vat.id,
    prices: [{ currency: CURRENCY, unitPrice: '24000' }],
  })
  const supplies = await createItem({
    kind: 'product',
    name: 'Cleaning supplies kit',
    taxRateId: vat.id,
    prices: [{ currency: CURRENCY, unitPrice: '4590' }],
  })

  const quote = await createQuote({
    clientId: client(4),
    currency: CURRENCY,
    expiresOn: addDays(today(), 30),
    lines: [
      { itemId: deepClean.id, quantity: 4 },
      { itemId: supplies.id, quantity: 2 },
    ],
    notes: 'Quarterly deep clean of the guest floors',
  })
  await sendQuote(quote.id)

  // [client, hours, extra visits, issued days ago (null: draft), share paid (of 2)]
  const invoices: [number, number, number, number | null, 0 | 1 | 2][] = [
    [0, 12, 0, null, 0],
    [1, 8, 1, 2, 0],
    [2, 20, 0, 50, 1],
    [3, 16, 1, 20, 2],
    [4, 10, 2, 45, 0],
    [5, 30, 1, 75, 0],
  ]
  for (const [clientIndex, hours, visits, daysAgo, paidHalves] of invoices) {
    const lines = [{ itemId: cleaning.id, quantity: hours }]
    if (visits) lines.push({ itemId: deepClean.id, quantity: visits })
    const draft = await createInvoice({
      clientId: client(clientIndex),
      currency: CURRENCY,
      lines,
      termsDays: 30,
    })
    if (daysAgo === null) continue
    const issueDate = addDays(today(), -daysAgo)
    const invoice = await issueInvoice(draft.id, { issueDate })
    if (!paidHalves) continue
    const amount = paidHalves === 2 ? invoice.total : invoice.total / 2n
    await payInvoice(invoice.id, {
      amount: amount.toString(),
      receivedOn: addDays(issueDate, 10),
      method: 'bank_transfer',
      reference: `DEMO-${invoice.displayNumber}`,
    })
  }
}
