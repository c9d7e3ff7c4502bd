import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import WaitlistEntry from '../models/waitlist_entry.js'
import { publish } from './salon_plugin.js'

/*
 * A freed time (cancelled or moved appointment) is offered to the first
 * client waiting for one of its services whose window holds it and who did
 * not ask for another staff member: the entry records the offer and
 * salon.waitlist.offered tells the messaging plugins, in the same transaction.
 */
export async function offerFreedSlot(
  freed: { startsMs: number; staffUserId: number; appointmentId: number; serviceIds: number[] },
  trx: TransactionClientContract
) {
  if (!freed.serviceIds.length) return null
  const entry = await WaitlistEntry.query({ client: trx })
    .where('status', 'waiting')
    .whereIn('service_id', freed.serviceIds)
    .where('window_starts_ms', '<=', freed.startsMs)
    .where('window_ends_ms', '>', freed.startsMs)
    .where((q) => q.whereNull('staff_user_id').orWhere('staff_user_id', freed.staffUserId))
    .orderBy('id')
    .forUpdate()
    .first()
  if (!entry) return null
  entry.merge({
    status: 'offered',
    offeredStartsMs: freed.startsMs,
    offeredStaffUserId: freed.staffUserId,
    offeredFromAppointmentId: freed.appointmentId,
  })
  await entry.useTransaction(trx).save()
  await publish(
    'salon.waitlist.offered',
    { type: 'salon.waitlist-entry', id: entry.id },
    {
      waitlistEntryId: entry.id,
      clientId: entry.clientId,
      serviceId: entry.serviceId,
      staffId: freed.staffUserId,
      startsAt: new Date(freed.startsMs).toISOString(),
    },
    trx
  )
  return entry
}
