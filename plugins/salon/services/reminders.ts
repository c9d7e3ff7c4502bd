import db from '@adonisjs/lucid/services/db'
import Appointment from '../models/appointment.js'
import Reminder from '../models/reminder.js'
import { eventPayload } from './booking.js'
import { publish, salonSettings } from './salon_plugin.js'

const MINUTE = 60_000

const isUniqueViolation = (error: unknown) => {
  const code = (error as { code?: string }).code ?? ''
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT')
}

/*
 * Emits salon.appointment.reminder_due for every booked appointment whose
 * reminder offset (settings, default 24 h and 2 h) has come, once per offset:
 * a row per (appointment, offset) with a unique key records it in the event's
 * transaction, so overlapping runs cannot send twice. An appointment booked
 * after an offset had passed skips that offset (recorded as skipped).
 */
export async function emitDueReminders(nowMs = Date.now()) {
  const settings = await salonSettings()
  const offsets = [...new Set(settings.reminderOffsetsMinutes)].sort((a, b) => b - a)
  if (!offsets.length) return { sent: 0, skipped: 0 }
  const appointments = await Appointment.query()
    .where('status', 'booked')
    .where('starts_ms', '>', nowMs)
    .where('starts_ms', '<=', nowMs + offsets[0] * MINUTE)
    .orderBy('starts_ms')
    .limit(5000)
  if (!appointments.length) return { sent: 0, skipped: 0 }
  const handled = await Reminder.query()
    .select('appointment_id', 'offset_minutes')
    .whereIn(
      'appointment_id',
      appointments.map((row) => row.id)
    )
  const done = new Set(handled.map((row) => `${row.appointmentId}:${row.offsetMinutes}`))
  let sent = 0
  let skipped = 0
  for (const appointment of appointments) {
    for (const offset of offsets) {
      const dueAt = appointment.startsMs - offset * MINUTE
      if (dueAt > nowMs || done.has(`${appointment.id}:${offset}`)) continue
      const outcome = appointment.createdAt.toMillis() <= dueAt ? 'sent' : 'skipped'
      try {
        await db.transaction(async (trx) => {
          await Reminder.create(
            { appointmentId: appointment.id, offsetMinutes: offset, outcome, atMs: nowMs },
            { client: trx }
          )
          if (outcome === 'sent')
            await publish(
              'salon.appointment.reminder_due',
              { type: 'salon.appointment', id: appointment.id },
              { ...eventPayload(appointment), offsetMinutes: offset },
              trx
            )
        })
        if (outcome === 'sent') sent++
        else skipped++
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
      }
    }
  }
  return { sent, skipped }
}
