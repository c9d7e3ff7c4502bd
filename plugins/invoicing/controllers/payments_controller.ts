import type { HttpContext } from '@adonisjs/core/http'
import { ApiError, paginate, single, validateAttributes } from '#plinth'
import Payment from '../models/payment.js'
import Refund from '../models/refund.js'
import {
  clientPaymentValidator,
  invoicePaymentValidator,
  refundValidator,
} from '../validators/payment_validator.js'
import { payClient, payInvoice, refundPayment } from '../services/payments.js'
import { findClient } from '../services/clients.js'
import { paymentResource, refundResource } from '../services/resources.js'
import { loadInvoice } from './invoices_controller.js'

const withAllocations = () => Payment.query().preload('allocations', (q) => q.orderBy('id'))

async function loadPayment(id: number) {
  const payment = await withAllocations().where('id', id).first()
  if (!payment) throw ApiError.notFound('Payment')
  return payment
}

export default class PaymentsController {
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      withAllocations(),
      {
        sortable: { id: 'id', receivedOn: 'received_on', createdAt: 'created_at' },
        filterable: { clientId: 'client_id', currency: 'currency' },
        defaultSort: '-id',
      },
      paymentResource
    )
  }

  async show({ params }: HttpContext) {
    return single(paymentResource(await loadPayment(params.id)))
  }

  /* GET /invoices/:id/payments */
  async ofInvoice({ params }: HttpContext) {
    await loadInvoice(params.id)
    const payments = await withAllocations()
      .whereIn('id', (q) =>
        q.from('invoicing_payment_allocations').where('invoice_id', params.id).select('payment_id')
      )
      .orderBy('id')
    return { data: payments.map(paymentResource) }
  }

  /* POST /invoices/:id/payments */
  async payInvoice(ctx: HttpContext) {
    await loadInvoice(ctx.params.id)
    const input = await validateAttributes(ctx, invoicePaymentValidator)
    const payment = await payInvoice(ctx.params.id, input)
    ctx.response.status(201)
    return single(paymentResource(await loadPayment(payment.id)))
  }

  /* POST /clients/:clientId/payments: applied to the oldest open invoices first */
  async payClient(ctx: HttpContext) {
    const clientId = Number(ctx.params.clientId)
    if (!(await findClient(clientId))) throw ApiError.notFound('Client')
    const input = await validateAttributes(ctx, clientPaymentValidator)
    const payment = await payClient(clientId, input)
    ctx.response.status(201)
    return single(paymentResource(await loadPayment(payment.id)))
  }

  async refunds({ params }: HttpContext) {
    await loadPayment(params.id)
    const refunds = await Refund.query().where('payment_id', params.id).orderBy('id')
    return { data: refunds.map(refundResource) }
  }

  async refund(ctx: HttpContext) {
    await loadPayment(ctx.params.id)
    const input = await validateAttributes(ctx, refundValidator)
    const refund = await refundPayment(ctx.params.id, input)
    ctx.response.status(201)
    return single(refundResource(refund))
  }
}
