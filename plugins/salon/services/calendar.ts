import { createHash, randomBytes } from 'node:crypto'
import ical, { ICalEventStatus } from 'ical-generator'
import { getVtimezoneComponent } from '@touch4it/ical-timezones'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { audit } from '#plinth'
import Appointment from '../models/appointment.js'
import CalendarFeed from '../models/calendar_feed.js'
import Location from '../models/location.js'
import Service from '../models/service.js'

/*
 * iCalendar: a staff member's feed (reached with a secret token, no login) and
 * one .ics per appointment. Times are written in the location's zone with its
 * VTIMEZONE, so calendar apps keep 09:00 at 09:00 across DST changes.
 */
const DAY = 24 * 60 * 60_000
const STATUS = {
  booked: ICalEventStatus.CONFIRMED,
  completed: ICalEventStatus.CONFIRMED,
  no_show: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
} as const

export function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

export function newToken() {
  return randomBytes(32).toString('base64url')
}

async function render(name: string, appointments: Appointment[]) {
  const locations = await Location.query().whereIn(
    'id',
    [...new Set(appointments.map((row) => row.locationId))].concat([0])
  )
  const zoneOf = new Map(locations.map((row) => [row.id, row]))
  const serviceIds = [
    ...new Set(appointments.flatMap((row) => row.services.map((item) => item.serviceId))),
  ]
  const services = serviceIds.length ? await Service.query().whereIn('id', serviceIds) : []
  const serviceName = new Map(services.map((row) => [row.id, row.name]))

  // the calendar's zone: the one most appointments are in; others are written in UTC
  const counts = new Map<string, number>()
  for (const row of appointments) {
    const zone = zoneOf.get(row.locationId)?.timeZone ?? 'UTC'
    counts.set(zone, (counts.get(zone) ?? 0) + 1)
  }
  const zone = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'UTC'

  const calendar = ical({ name, prodId: { company: 'Plinth', product: 'Salon', language: 'EN' } })
  if (zone !== 'UTC') calendar.timezone({ name: zone, generator: getVtimezoneComponent })
  for (const row of appointments) {
    const location = zoneOf.get(row.locationId)
    const own = location?.timeZone ?? 'UTC'
    const summary = row.services
      .sort((a, b) => a.position - b.position)
      .map((item) => serviceName.get(item.serviceId) ?? 'Service')
      .join(' + ')
    calendar.createEvent({
      id: `salon-appointment-${row.id}@plinth`,
      start: DateTime.fromMillis(row.startsMs, { zone: own }),
      end: DateTime.fromMillis(row.endsMs, { zone: own }),
      ...(own === zone && zone !== 'UTC' ? { timezone: zone } : {}),
      summary,
      location: location?.name ?? null,
      status: STATUS[row.status],
      stamp: row.updatedAt.toJSDate(),
      description: row.status === 'booked' ? null : `Status: ${row.status.replace('_', '-')}`,
    })
  }
  return calendar.toString()
}

export async function appointmentIcs(appointment: Appointment) {
  return render(`Appointment ${appointment.id}`, [appointment])
}

/* the staff member's appointments from 60 days back to a year ahead */
export async function staffFeed(userId: number) {
  const now = Date.now()
  const appointments = await Appointment.query()
    .where('staff_user_id', userId)
    .where('starts_ms', '>=', now - 60 * DAY)
    .where('starts_ms', '<', now + 365 * DAY)
    .preload('services')
    .orderBy('starts_ms')
    .limit(5000)
  return render('Salon appointments', appointments)
}

/* a new feed, or a new secret for one (the old URL stops working at once) */
export async function issueFeed(userId: number, feed: CalendarFeed | null) {
  const token = newToken()
  const row = await db.transaction(async (trx) => {
    const target = feed ?? new CalendarFeed()
    target.merge({ userId, tokenHash: hashToken(token), revokedAt: null })
    await target.useTransaction(trx).save()
    await audit(
      {
        action: feed ? 'salon.calendar_feed.rotated' : 'salon.calendar_feed.created',
        subjectType: 'salon-calendar-feed',
        subjectId: target.id,
      },
      trx
    )
    return target
  })
  return { feed: row, token }
}

export async function revokeFeed(feed: CalendarFeed) {
  await db.transaction(async (trx) => {
    feed.revokedAt = DateTime.now()
    await feed.useTransaction(trx).save()
    await audit(
      {
        action: 'salon.calendar_feed.revoked',
        subjectType: 'salon-calendar-feed',
        subjectId: feed.id,
      },
      trx
    )
  })
  return feed
}
