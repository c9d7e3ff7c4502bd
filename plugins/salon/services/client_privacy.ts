import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Appointment from '../models/appointment.js'
import WaitlistEntry from '../models/waitlist_entry.js'
import Service from '../models/service.js'

/*
 * The salon's part of the CRM's privacy export and erase (registered with
 * crmExtensions in plugin.ts, beside the timeline). Erase removes what is
 * personal (appointment notes, waitlist wishes) and keeps times and amounts,
 * which the books need.
 */
export const salonPrivacy = {
  async export(clientId: number) {
    const [appointments, waitlist] = await Promise.all([
      Appointment.query().where('client_id', clientId).preload('services').orderBy('starts_ms'),
      WaitlistEntry.query().where('client_id', clientId).orderBy('id'),
    ])
    const serviceIds = [
      ...new Set(appointments.flatMap((row) => row.services.map((item) => item.serviceId))),
    ]
    const names = new Map(
      (serviceIds.length ? await Service.query().whereIn('id', serviceIds) : []).map((row) => [
        row.id,
        row.name,
      ])
    )
    return {
      appointments: appointments.map((row) => ({
        id: row.id,
        status: row.status,
        startsAt: new Date(row.startsMs).toISOString(),
        endsAt: new Date(row.endsMs).toISOString(),
        services: row.services.map((item) => names.get(item.serviceId) ?? item.serviceId),
        staffId: row.staffUserId,
        currency: row.currency,
        price: row.priceMinor,
        deposit: row.depositMinor,
        fee: row.feeMinor,
        notes: row.notes,
      })),
      waitlist: waitlist.map((row) => ({
        id: row.id,
        serviceId: row.serviceId,
        status: row.status,
        from: new Date(row.windowStartsMs).toISOString(),
        to: new Date(row.windowEndsMs).toISOString(),
      })),
    }
  },

  async erase(clientId: number, trx: TransactionClientContract) {
    await Appointment.query({ client: trx })
      .where('client_id', clientId)
      .whereNotNull('notes')
      .update({ notes: null })
    await WaitlistEntry.query({ client: trx })
      .where('client_id', clientId)
      .whereNot('status', 'closed')
      .update({ status: 'closed' })
  },
}
