import type { HttpContext } from '@adonisjs/core/http'
import { ApiError, paginate, single, validateAttributes } from '#plinth'
import Invoice from '../models/invoice.js'
import {
  createCreditNoteValidator,
  createInvoiceValidator,
  sendInvoiceValidator,
  updateInvoiceValidator,
  voidInvoiceValidator,
} from '../validators/invoice_validator.js'
import {
  createCreditNote,
  createInvoice,
  deleteInvoice,
  issueInvoice,
  updateInvoice,
  voidInvoice,
} from '../services/invoices.js'
import { invoiceResource } from '../services/resources.js'
import { renderInvoicePdf } from '../services/pdf.js'
import { findClient } from '../services/clients.js'
import { invoicingSettings } from '../services/invoicing_plugin.js'

const LIST = {
  sortable: {
    id: 'id',
    number: 'number',
    issueDate: 'issue_date',
    dueDate: 'due_date',
    createdAt: 'created_at',
  },
  filterable: { status: 'status', clientId: 'client_id', currency: 'currency' },
  searchable: ['display_number'],
  defaultSort: '-id',
}

const withLines = (kind: 'invoice' | 'credit_note' = 'invoice') =>
  Invoice.query()
    .where('kind', kind)
    .preload('lines', (q) => q.orderBy('position'))

export async function loadInvoice(id: number, kind: 'invoice' | 'credit_note' = 'invoice') {
  const invoice = await withLines(kind).where('id', id).first()
  if (!invoice) throw ApiError.notFound(kind === 'invoice' ? 'Invoice' : 'Credit note')
  return invoice
}

export default class InvoicesController {
  async index(ctx: HttpContext) {
    return paginate(ctx, withLines(), LIST, invoiceResource)
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createInvoiceValidator)
    const invoice = await createInvoice(input)
    ctx.response.status(201)
    return single(invoiceResource(await loadInvoice(invoice.id)))
  }

  async show({ params }: HttpContext) {
    return single(invoiceResource(await loadInvoice(params.id)))
  }

  async update(ctx: HttpContext) {
    await loadInvoice(ctx.params.id)
    const input = await validateAttributes(ctx, updateInvoiceValidator)
    await updateInvoice(ctx.params.id, input)
    return single(invoiceResource(await loadInvoice(ctx.params.id)))
  }

  async destroy({ params, response }: HttpContext) {
    await loadInvoice(params.id)
    await deleteInvoice(params.id)
    return response.noContent()
  }

  /* issues a draft: number, dates, ledger posting */
  async send(ctx: HttpContext) {
    await loadInvoice(ctx.params.id)
    const input = await validateAttributes(ctx, sendInvoiceValidator)
    await issueInvoice(ctx.params.id, input)
    return single(invoiceResource(await loadInvoice(ctx.params.id)))
  }

  async void(ctx: HttpContext) {
    await loadInvoice(ctx.params.id)
    const input = await validateAttributes(ctx, voidInvoiceValidator)
    await voidInvoice(ctx.params.id, input)
    return single(invoiceResource(await loadInvoice(ctx.params.id)))
  }

  async pdf({ params, response }: HttpContext) {
    return sendPdf(await loadInvoice(params.id), response)
  }

  async showCreditNote({ params }: HttpContext) {
    return single(invoiceResource(await loadInvoice(params.id, 'credit_note')))
  }

  async creditNotePdf({ params, response }: HttpContext) {
    return sendPdf(await loadInvoice(params.id, 'credit_note'), response)
  }

  async creditNotes(ctx: HttpContext) {
    await loadInvoice(ctx.params.id)
    const notes = await withLines('credit_note')
      .where('credited_invoice_id', ctx.params.id)
      .orderBy('id')
    return { data: notes.map(invoiceResource) }
  }

  async storeCreditNote(ctx: HttpContext) {
    await loadInvoice(ctx.params.id)
    const input = await validateAttributes(ctx, createCreditNoteValidator)
    const note = await createCreditNote(ctx.params.id, input)
    ctx.response.status(201)
    return single(invoiceResource(await loadInvoice(note.id, 'credit_note')))
  }
}

async function sendPdf(invoice: Invoice, response: HttpContext['response']) {
  const client = invoice.clientId ? await findClient(invoice.clientId) : null
  const settings = await invoicingSettings()
  const bytes = await renderInvoicePdf(invoice, client, { name: settings.companyName })
  const name = invoice.displayNumber ?? `draft-${invoice.id}`
  response.header('Content-Type', 'application/pdf')
  response.header('Content-Disposition', `inline; filename="${name}.pdf"`)
  return response.send(bytes)
}
