import PDFDocument from 'pdfkit'
import { formatMinor } from '#plinth'
import type Invoice from '../models/invoice.js'
import { formatQuantity, formatRatePercent } from './amounts.js'
import type { ClientSummary } from '../../crm/public.js'

/*
 * The invoice (or credit note) as a PDF, drawn with pdfkit's built-in
 * Helvetica: number, dates, client, lines, totals, balance. Returns the bytes.
 */
export function renderInvoicePdf(
  invoice: Invoice,
  client: ClientSummary | null,
  seller: { name: string }
): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title(invoice) } })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const money = (amount: bigint) => `${formatMinor(amount, invoice.currency)} ${invoice.currency}`

  doc.font('Helvetica-Bold').fontSize(20).text(title(invoice))
  doc.moveDown(0.5).font('Helvetica').fontSize(10)
  doc.text(`From: ${seller.name}`)
  doc.text(`Bill to: ${client ? client.name : '(no client)'}`)
  if (client?.companyName) doc.text(client.companyName)
  if (client?.email) doc.text(client.email)
  doc.moveDown(0.5)
  doc.text(`Status: ${invoice.status.replace('_', ' ')}`)
  if (invoice.issueDate) doc.text(`Issue date: ${invoice.issueDate}`)
  if (invoice.dueDate && invoice.kind === 'invoice') doc.text(`Due date: ${invoice.dueDate}`)
  if (invoice.reason) doc.text(`Reason: ${invoice.reason}`)
  doc.moveDown()

  const columns = { description: 50, quantity: 300, unit: 350, tax: 430, total: 480 }
  const header = doc.y
  doc.font('Helvetica-Bold')
  doc.text('Description', columns.description, header, { width: 240 })
  doc.text('Qty', columns.quantity, header)
  doc.text('Unit price', columns.unit, header)
  doc.text('Tax', columns.tax, header)
  doc.text('Total', columns.total, header)
  doc.font('Helvetica')
  for (const line of invoice.lines ?? []) {
    const y = doc.y + 4
    doc.text(line.description, columns.description, y, { width: 240 })
    const after = doc.y
    doc.text(formatQuantity(line.quantityMilli), columns.quantity, y)
    doc.text(formatMinor(line.unitPrice, invoice.currency), columns.unit, y)
    doc.text(`${formatRatePercent(line.taxRatePpm)}%`, columns.tax, y)
    doc.text(formatMinor(line.total, invoice.currency), columns.total, y)
    doc.y = Math.max(after, doc.y)
  }
  doc.moveDown()
  doc.x = 300
  doc.text(`Subtotal: ${money(invoice.subtotal)}`)
  doc.text(`Tax: ${money(invoice.taxTotal)}`)
  doc.font('Helvetica-Bold').text(`Total: ${money(invoice.total)}`)
  doc.font('Helvetica')
  if (invoice.kind === 'invoice' && invoice.status !== 'draft' && invoice.status !== 'void') {
    doc.text(`Paid: ${money(invoice.amountPaid)}`)
    if (invoice.amountCredited > 0n) doc.text(`Credited: ${money(invoice.amountCredited)}`)
    doc.font('Helvetica-Bold').text(`Balance due: ${money(invoice.balance)}`)
  }
  doc.end()
  return done
}

function title(invoice: Invoice) {
  const what = invoice.kind === 'credit_note' ? 'Credit note' : 'Invoice'
  return invoice.displayNumber ? `${what} ${invoice.displayNumber}` : `${what} (draft)`
}
