import { DateTime } from 'luxon'
import {
  ApiError,
  consumeRateLimit,
  formatMinor,
  publicPageUrl,
  teamMembers,
  type PublicTenant,
} from '#plinth'
import { findClient, searchClientIds } from '../../crm/public.js'
import Location from '../models/location.js'
import Service from '../models/service.js'
import ServiceStaff from '../models/service_staff.js'
import { bookingPlan } from './booking_plan.js'
import { slotsFrom, startWindows } from './availability.js'
import { book, staffLoad } from './booking.js'
import { isoIn } from './local_time.js'
import { salonSettings } from './salon_plugin.js'

/*
 * Abuse limits of the public booking form, on top of the kernel's per-IP
 * limit on every public route: booking attempts per IP, and per contact
 * (e-mail or phone), whatever the IP.
 */
export const ONLINE_BOOKING_LIMITS = {
  perIp: { requests: 10, duration: '10 minutes' },
  perContact: { requests: 3, duration: '1 hour' },
}

/* The public booking page: what the salon offers, who performs it, where. */
export async function onlineBookingProps(tenant: PublicTenant) {
  const [services, links, locations, team] = await Promise.all([
    Service.query().where('active', true).orderBy('name').orderBy('id'),
    ServiceStaff.query(),
    Location.query().orderBy('id'),
    teamMembers(),
  ])
  const nameOf = new Map(team.map((member) => [member.id, member.fullName]))
  return {
    salon: { name: tenant.name, slug: tenant.slug },
    services: services.map((service) => ({
      id: service.id,
      name: service.name,
      description: service.description,
      durationMinutes: service.durationMinutes,
      /* "EUR 40.00", exact with each currency's exponent */
      prices: Object.entries(service.prices ?? {}).map(
        ([currency, minor]) => `${currency} ${formatMinor(BigInt(minor), currency)}`
      ),
      // only the first name is shown to the public
      staff: links
        .filter((link) => link.serviceId === service.id && nameOf.has(link.userId))
        .map((link) => ({ id: link.userId, name: firstName(nameOf.get(link.userId)!) })),
    })),
    locations: locations.map((location) => ({
      id: location.id,
      name: location.name,
      timeZone: location.timeZone,
    })),
    urls: {
      slots: publicPageUrl('salon', tenant.slug, '/book/slots'),
      book: publicPageUrl('salon', tenant.slug, '/book'),
    },
  }
}

function firstName(fullName: string) {
  return fullName.trim().split(/\s+/)[0] || fullName
}

/*
 * Bookable starts of one service over a few local days, from the same
 * availability service as the API; each slot names the staff member who
 * would be assigned (with "any", the least busy one, as the booking picks).
 */
export async function onlineSlots(input: {
  serviceId: number
  staffId?: number
  locationId?: number
  date?: string
  days?: number
}) {
  const location = input.locationId
    ? await Location.find(input.locationId)
    : await Location.query().orderBy('id').first()
  if (!location) throw new ApiError(422, 'UNKNOWN_LOCATION', 'No such location', {})
  const zone = location.timeZone
  const day = input.date
    ? DateTime.fromISO(input.date, { zone })
    : DateTime.now().setZone(zone).startOf('day')
  if (!day.isValid) throw ApiError.validation('date', 'This is not a date')
  const fromMs = day.toMillis()
  const toMs = day.plus({ days: input.days ?? 1 }).toMillis()

  const plan = await bookingPlan([input.serviceId])
  if (input.staffId !== undefined && !plan.staffIds.includes(input.staffId))
    throw ApiError.validation('staffId', 'This person does not perform this service')
  const staffIds = input.staffId !== undefined ? [input.staffId] : plan.staffIds
  const nowMs = Date.now()
  const [settings, team] = await Promise.all([salonSettings(), teamMembers()])
  const [windows, load] = await Promise.all([
    startWindows({
      plan,
      staffIds,
      fromMs,
      toMs,
      nowMs,
      settings,
      locationId: location.id,
    }),
    staffIds.length > 1 ? staffLoad(staffIds, fromMs, toMs) : new Map<number, number>(),
  ])
  const nameOf = new Map(team.map((member) => [member.id, firstName(member.fullName)]))
  return {
    timeZone: zone,
    locationId: location.id,
    slots: slotsFrom(windows, 15, load).map((slot) => ({
      startsAt: isoIn(slot.zone, slot.startMs),
      endsAt: isoIn(slot.zone, slot.startMs + plan.durationMs),
      staffId: slot.staffIds[0],
      staffName: nameOf.get(slot.staffIds[0]) ?? null,
    })),
  }
}

export type OnlineBookingInput = {
  serviceId: number
  staffId?: number
  locationId?: number
  startsAt: string
  name: string
  email?: string
  phone?: string
  notes?: string
  website?: string
}

/* the contact a booking is limited by: the e-mail, else the phone's digits */
function contactKey(input: OnlineBookingInput) {
  if (input.email) return `email:${input.email.toLowerCase()}`
  return `phone:${(input.phone ?? '').replace(/\D/g, '')}`
}

/* An existing CRM client with exactly this e-mail (not erased), to link the booking to. */
async function clientWithEmail(email: string): Promise<number | null> {
  const candidates = await searchClientIds(email)
  for (const id of candidates.slice(0, 10)) {
    const client = await findClient(id)
    if (client && !client.erased && client.email?.toLowerCase() === email) return client.id
  }
  return null
}

/*
 * A booking from the public page, through the same booking service as the
 * API (same rules: hours, notice, horizon, 409 SLOT_TAKEN). The honeypot and
 * the per-IP and per-contact limits refuse abuse before anything is read or
 * written; a client with the same e-mail is linked, else a CRM client is
 * created in the booking's transaction.
 */
export async function bookOnline(input: OnlineBookingInput, ip: string) {
  if (input.website && input.website.trim() !== '')
    throw new ApiError(400, 'BOOKING_REFUSED', 'This booking could not be accepted')
  if (!input.email && !input.phone)
    throw ApiError.validation('email', 'Give an e-mail address or a phone number')
  await consumeRateLimit('salon_online_ip', ip, ONLINE_BOOKING_LIMITS.perIp)
  await consumeRateLimit(
    'salon_online_contact',
    contactKey(input),
    ONLINE_BOOKING_LIMITS.perContact
  )

  const existing = input.email ? await clientWithEmail(input.email) : null
  const [appointment] = await book({
    serviceIds: [input.serviceId],
    staffId: input.staffId,
    locationId: input.locationId,
    startsAt: input.startsAt,
    notes: input.notes ? `Booked online: ${input.notes}` : 'Booked online',
    ...(existing
      ? { clientId: existing }
      : {
          client: {
            name: input.name,
            ...(input.email ? { email: input.email } : {}),
            ...(input.phone ? { phone: input.phone } : {}),
          },
        }),
  })
  const [service, location, team] = await Promise.all([
    Service.find(input.serviceId),
    Location.find(appointment.locationId),
    teamMembers(),
  ])
  const zone = location?.timeZone ?? 'UTC'
  return {
    type: 'salon-online-booking',
    id: String(appointment.id),
    attributes: {
      service: service?.name ?? null,
      staff: firstName(team.find((m) => m.id === appointment.staffUserId)?.fullName ?? ''),
      location: location?.name ?? null,
      startsAt: isoIn(zone, appointment.startsMs),
      endsAt: isoIn(zone, appointment.endsMs),
      timeZone: zone,
      currency: appointment.currency,
      price: appointment.priceMinor,
      deposit: appointment.depositMinor,
    },
  }
}
