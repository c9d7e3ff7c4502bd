import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { tenantContext } from '#plinth'
import Invoice from '../models/invoice.js'
import { daysBetween, today } from './dates.js'
import { eventPayload } from './invoices.js'
import { publish } from './invoicing_plugin.js'

/*
 * The overdue reminder: every issued invoice with a balance past its due date
 * gets `invoicing.invoice.overdue` once per day, however often the job runs
 * (a unique (invoice, day) row is claimed in the event's transaction; a
 * second run that day finds it taken). Returns the invoices reminded.
 */
export async function remindOverdue(options: { asOf?: string } = {}) {
  const asOf = options.asOf ?? today()
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new Error('invoicing: overdue reminders need a tenant')
  const overdue = await Invoice.query()
    .where('kind', 'invoice')
    .whereIn('status', ['sent', 'partially_paid'])
    .where('due_date', '<', asOf)
    .orderBy('due_date')
  const reminded: number[] = []
  for (const invoice of overdue) {
    const daysOverdue = daysBetween(invoice.dueDate!, asOf)
    await db.transaction(async (trx) => {
      const claimed = await trx
        .knexQuery()
        .table('invoicing_reminders')
        .insert({
          tenant_id: tenantId,
          invoice_id: invoice.id,
          reminded_on: asOf,
          days_overdue: daysOverdue,
          created_at: DateTime.now().toFormat(trx.dialect.dateTimeFormat),
        })
        .onConflict(['invoice_id', 'reminded_on'])
        .ignore()
        .returning('id')
      const rows = Array.isArray(claimed) ? claimed : ((claimed as any)?.rows ?? [])
      if (!rows.length) return
      await publish(
        'invoicing.invoice.overdue',
        { type: 'invoicing.invoice', id: invoice.id },
        { ...eventPayload(invoice), daysOverdue },
        trx
      )
      reminded.push(invoice.id)
    })
  }
  return reminded
}
