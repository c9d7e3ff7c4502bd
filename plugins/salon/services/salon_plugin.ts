import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { PluginContext } from '#plinth'
import { defineEvent } from '#plinth'

/*
 * The salon plugin's kernel context, handed over at boot (routes) and to jobs.
 * Services read the tenant's settings and publish events through it.
 */
let current: PluginContext | null = null

export const salonPlugin = {
  use(context: PluginContext) {
    current = context
  },
  get context(): PluginContext {
    if (!current) throw new Error('The salon plugin is used before the kernel booted it')
    return current
  },
}

export type SalonSettings = {
  /* free cancellation until this many hours before the start */
  cancellationPolicyHours: number
  /* fees as a percentage of the appointment's price */
  lateCancelFeePercent: number
  noShowFeePercent: number
  minimumNoticeMinutes: number
  bookingHorizonDays: number
  /* minutes before the start; default 24 h and 2 h */
  reminderOffsetsMinutes: number[]
}

export const DEFAULT_SETTINGS: SalonSettings = {
  cancellationPolicyHours: 24,
  lateCancelFeePercent: 50,
  noShowFeePercent: 100,
  minimumNoticeMinutes: 60,
  bookingHorizonDays: 90,
  reminderOffsetsMinutes: [1440, 120],
}

export const SETTINGS_SCHEMA = {
  type: 'object' as const,
  additionalProperties: false,
  properties: {
    cancellationPolicyHours: {
      type: 'integer',
      minimum: 0,
      maximum: 720,
      title: 'Free cancellation until (hours before)',
    },
    lateCancelFeePercent: {
      type: 'integer',
      minimum: 0,
      maximum: 100,
      title: 'Late-cancel fee (% of the price)',
    },
    noShowFeePercent: {
      type: 'integer',
      minimum: 0,
      maximum: 100,
      title: 'No-show fee (% of the price)',
    },
    minimumNoticeMinutes: {
      type: 'integer',
      minimum: 0,
      maximum: 43200,
      title: 'Minimum notice (minutes)',
    },
    bookingHorizonDays: {
      type: 'integer',
      minimum: 1,
      maximum: 730,
      title: 'Booking horizon (days)',
    },
    reminderOffsetsMinutes: {
      type: 'array',
      items: { type: 'integer', minimum: 5, maximum: 20160 },
      maxItems: 5,
      uniqueItems: true,
      title: 'Reminders (minutes before)',
    },
  },
}

export async function salonSettings(): Promise<SalonSettings> {
  const stored = (await salonPlugin.context.use('settings.read').get()) as Partial<SalonSettings>
  return { ...DEFAULT_SETTINGS, ...stored }
}

const APPOINTMENT_EVENT_SCHEMA = {
  type: 'object',
  required: ['appointmentId'],
  properties: {
    appointmentId: { type: 'integer' },
    clientId: { type: 'integer' },
    staffId: { type: 'integer' },
    status: { type: 'string' },
    startsAt: { type: 'string' },
    endsAt: { type: 'string' },
  },
}

export const APPOINTMENT_VERBS = [
  'booked',
  'rescheduled',
  'cancelled',
  'no_show',
  'completed',
  'reminder_due',
] as const
export type AppointmentVerb = (typeof APPOINTMENT_VERBS)[number]

for (const verb of APPOINTMENT_VERBS) {
  defineEvent({ name: `salon.appointment.${verb}`, version: 1, schema: APPOINTMENT_EVENT_SCHEMA })
}
defineEvent({
  name: 'salon.waitlist.offered',
  version: 1,
  schema: {
    type: 'object',
    required: ['waitlistEntryId'],
    properties: { waitlistEntryId: { type: 'integer' }, clientId: { type: 'integer' } },
  },
})

export function publish(
  name: string,
  aggregate: { type: string; id: number },
  payload: Record<string, unknown>,
  trx: TransactionClientContract
) {
  return salonPlugin.context.use('events.publish').publish({ name, aggregate, payload }, trx)
}
