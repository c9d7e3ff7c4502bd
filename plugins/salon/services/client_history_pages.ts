import { ApiError, formatMinor, teamMembers, type PluginPageContext } from '#plinth'
import { findClient, type TimelineEntry } from '../../crm/public.js'
import Appointment from '../models/appointment.js'
import Location from '../models/location.js'
import Service from '../models/service.js'
import { isoIn } from './local_time.js'

const HISTORY_LIMIT = 200

export const money = (minor: string, currency: string) =>
  `${currency} ${formatMinor(BigInt(minor), currency)}`

/* every appointment of a client, newest first, with service and staff names */
async function appointmentsOf(clientId: number) {
  const [rows, services, team, locations] = await Promise.all([
    Appointment.query()
      .where('client_id', clientId)
      .preload('services')
      .orderBy('starts_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(HISTORY_LIMIT),
    Service.query().select('id', 'name'),
    teamMembers(),
    Location.query().select('id', 'name', 'time_zone'),
  ])
  const serviceName = new Map(services.map((row) => [row.id, row.name]))
  const staffName = new Map(team.map((member) => [member.id, member.fullName]))
  const locationOf = new Map(locations.map((row) => [row.id, row]))
  return rows.map((row) => {
    const location = locationOf.get(row.locationId)
    const zone = location?.timeZone ?? 'UTC'
    return {
      id: row.id,
      status: row.status,
      startsAt: isoIn(zone, row.startsMs),
      endsAt: isoIn(zone, row.endsMs),
      startsMs: row.startsMs,
      timeZone: zone,
      location: location?.name ?? null,
      staffName: staffName.get(row.staffUserId) ?? `Staff ${row.staffUserId}`,
      services: row.services
        .sort((a, b) => a.position - b.position)
        .map((item) => serviceName.get(item.serviceId) ?? `Service ${item.serviceId}`),
      currency: row.currency,
      price: row.priceMinor,
      fee: row.feeMinor,
      /* exact, with the currency's exponent */
      priceText: money(row.priceMinor, row.currency),
      feeText: row.feeMinor === '0' ? null : money(row.feeMinor, row.currency),
      feeReason: row.feeReason,
    }
  })
}

/*
 * The client's salon history page (/app/salon/clients/:id): upcoming and past
 * appointments, and counts a receptionist looks at (visits, no-shows,
 * late cancellations). Another tenant's client is a 404.
 */
export async function clientHistoryProps(ctx: PluginPageContext) {
  const id = Number(ctx.params.id)
  const client = Number.isSafeInteger(id) ? await findClient(id) : null
  if (!client) throw ApiError.notFound('Client')
  const appointments = await appointmentsOf(client.id)
  const now = Date.now()
  const count = (status: string) => appointments.filter((row) => row.status === status).length
  return {
    client: { id: client.id, name: client.name, email: client.email, erased: client.erased },
    upcoming: appointments
      .filter((row) => row.status === 'booked' && row.startsMs >= now)
      .reverse()
      .map(({ startsMs, ...row }) => row),
    past: appointments
      .filter((row) => !(row.status === 'booked' && row.startsMs >= now))
      .map(({ startsMs, ...row }) => row),
    summary: {
      completed: count('completed'),
      noShows: count('no_show'),
      cancelled: count('cancelled'),
      lateCancels: appointments.filter((row) => row.feeReason === 'late_cancel').length,
    },
    canWrite: ctx.permissions.has('salon.write'),
  }
}

const VERB: Record<string, string> = {
  booked: 'Booked',
  completed: 'Visited',
  no_show: 'No-show',
  cancelled: 'Cancelled',
}

/* The salon's entries on the CRM client timeline: one per appointment. */
export async function salonTimeline(clientId: number): Promise<TimelineEntry[]> {
  const appointments = await appointmentsOf(clientId)
  return appointments.map((row) => ({
    // UTC, as the CRM's own entries: the timeline sorts the strings
    at: new Date(row.startsMs).toISOString(),
    type: `salon.appointment.${row.status}`,
    title: `${VERB[row.status] ?? row.status}: ${row.services.join(', ')}`,
    detail: `with ${row.staffName}${row.location ? ` at ${row.location}` : ''}`,
  }))
}
