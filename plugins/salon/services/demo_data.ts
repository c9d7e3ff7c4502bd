import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { ApiError, audit, teamMembers } from '#plinth'
import { searchClientIds } from '../../crm/public.js'
import Appointment from '../models/appointment.js'
import Location from '../models/location.js'
import Resource from '../models/resource.js'
import { checkZone, openingHoursOf, saveService } from './catalog.js'
import { replaceWeeklyHours } from './schedule.js'
import { book, close } from './booking.js'

const ZONE = 'Europe/London'
const CURRENCY = 'EUR'
/* the demo tenant's members who take appointments, by name; else the first three members */
const STAFF = ['Maya Manager', 'Wendy Worker', 'Dan Dispatcher']
/* the CRM demo's people booked here */
const CLIENTS = ['Alice Martin', 'Ben Okafor', 'Chloe Dubois', 'Daniel Novak', 'Emma Schmidt']
const DAYS = [1, 2, 3, 4, 5, 6]

async function createLocation(name: string, timeZone: string) {
  checkZone(timeZone)
  const openingHours = openingHoursOf(
    DAYS.map((weekday) => ({ weekday, opens: '09:00', closes: '18:00' }))
  )
  return db.transaction(async (trx) => {
    const location = await Location.create({ name, timeZone, openingHours }, { client: trx })
    await audit(
      { action: 'salon.location.created', subjectType: 'salon-location', subjectId: location.id },
      trx
    )
    return location
  })
}

async function createResource(name: string, locationId: number) {
  return db.transaction(async (trx) => {
    const resource = await Resource.create({ name, capacity: 1, locationId }, { client: trx })
    await audit(
      { action: 'salon.resource.created', subjectType: 'salon-resource', subjectId: resource.id },
      trx
    )
    return resource
  })
}

async function demoStaff() {
  const members = await teamMembers()
  const named = members.filter((member) => STAFF.includes(member.fullName))
  return (named.length ? named : members.slice(0, 3)).map((member) => member.id)
}

async function demoClients() {
  const ids: number[] = []
  for (const name of CLIENTS) {
    const [id] = await searchClientIds(name, { limit: 1 })
    if (id !== undefined && !ids.includes(id)) ids.push(id)
  }
  return ids
}

/*
 * Marks the demo's appointments that have ended as completed (a demo set up
 * days ago): through close(), as staff would.
 */
async function completeEnded() {
  const ended = await Appointment.query()
    .where('status', 'booked')
    .where('ends_ms', '<', Date.now())
    .where('notes', 'like', 'Demo:%')
  for (const appointment of ended) await close(appointment.id, 'completed')
}

/*
 * The salon's demo data: a location in London, a styling chair, three
 * services, the demo staff's weekly hours (Monday to Saturday) and a dozen
 * appointments over the coming week for the CRM demo's people, all through the
 * salon's own services and rules. A tenant that already has a location is not
 * given another; on later runs the demo appointments that ended are completed.
 */
export async function seedSalonDemo() {
  if (await Location.query().first()) return completeEnded()
  const staff = await demoStaff()
  const clients = await demoClients()
  if (!staff.length) return

  const location = await createLocation('Demo Salon, Soho', ZONE)
  const chair = await createResource('Colour chair', location.id)
  const services = [
    await saveService(null, {
      name: 'Haircut',
      durationMinutes: 45,
      prices: { [CURRENCY]: '3500' },
      staffIds: staff,
    }),
    await saveService(null, {
      name: 'Colour',
      durationMinutes: 90,
      bufferAfterMinutes: 15,
      prices: { [CURRENCY]: '8500' },
      deposits: { [CURRENCY]: '2000' },
      staffIds: staff,
      resourceIds: [chair.id],
    }),
    await saveService(null, {
      name: 'Beard trim',
      durationMinutes: 20,
      prices: { [CURRENCY]: '1500' },
      staffIds: staff,
    }),
  ]
  for (const userId of staff)
    await replaceWeeklyHours(userId, {
      hours: DAYS.map((weekday) => ({
        locationId: location.id,
        weekday,
        starts: '09:00',
        ends: '17:30',
        breaks: [{ starts: '12:30', ends: '13:15' }],
      })),
    })

  if (!clients.length) return
  // two a day over the coming week (a Sunday is closed, a refused start is skipped)
  const times = ['10:00', '14:30']
  let booked = 0
  for (let day = 1; day <= 8 && booked < 12; day++) {
    const date = DateTime.now().setZone(ZONE).plus({ days: day })
    for (const [index, time] of times.entries()) {
      const [hour, minute] = time.split(':').map(Number)
      const service = services[(day + index) % services.length]
      try {
        await book({
          clientId: clients[(day * 2 + index) % clients.length],
          serviceIds: [service.id],
          staffId: staff[(day + index) % staff.length],
          locationId: location.id,
          startsAt: date.set({ hour, minute, second: 0, millisecond: 0 }).toISO()!,
          currency: CURRENCY,
          notes: `Demo: ${service.name}`,
        })
        booked++
      } catch (error) {
        if (!(error instanceof ApiError)) throw error
      }
    }
  }
}
