import { resource } from '#plinth'
import type Appointment from '../models/appointment.js'
import { isoIn } from './local_time.js'

/* An appointment as the API shows it; times in its location's zone. */
export function appointmentAttributes(appointment: Appointment, zone: string) {
  return {
    clientId: appointment.clientId,
    staffId: appointment.staffUserId,
    locationId: appointment.locationId,
    status: appointment.status,
    startsAt: isoIn(zone, appointment.startsMs),
    endsAt: isoIn(zone, appointment.endsMs),
    timeZone: zone,
    currency: appointment.currency,
    price: appointment.priceMinor,
    deposit: appointment.depositMinor,
    fee: appointment.feeMinor,
    feeReason: appointment.feeReason,
    seriesId: appointment.seriesId,
    seriesIndex: appointment.seriesIndex,
    notes: appointment.notes,
    invoiceRef: appointment.invoiceRef,
    ...(appointment.$preloaded.services !== undefined
      ? {
          services: appointment.services
            .sort((a, b) => a.position - b.position)
            .map((item) => ({
              serviceId: item.serviceId,
              startsAt: isoIn(zone, item.startsMs),
              endsAt: isoIn(zone, item.endsMs),
              price: item.priceMinor,
            })),
        }
      : {}),
    createdAt: appointment.createdAt.toISO(),
  }
}

export function appointmentResource(appointment: Appointment, zone: string) {
  return resource('salon-appointment', appointment.id, appointmentAttributes(appointment, zone))
}
