import vine from '@vinejs/vine'
import { calendarDate, currency, minorUnits } from './rules.js'

const paymentFields = {
  amount: minorUnits(),
  /* defaults to today */
  receivedOn: calendarDate().optional(),
  method: vine.string().trim().maxLength(40).nullable().optional(),
  reference: vine.string().trim().maxLength(200).nullable().optional(),
}

/* POST /invoices/:id/payments: in the invoice's currency */
export const invoicePaymentValidator = vine.compile(
  vine.object({ ...paymentFields, currency: currency().optional() })
)

/* POST /clients/:clientId/payments: applied to the client's oldest open invoices in that currency */
export const clientPaymentValidator = vine.compile(
  vine.object({ ...paymentFields, currency: currency() })
)

export const refundValidator = vine.compile(
  vine.object({
    amount: minorUnits(),
    refundedOn: calendarDate().optional(),
    reason: vine.string().trim().maxLength(500).nullable().optional(),
  })
)
