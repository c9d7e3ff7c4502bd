import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError } from '#plinth'
import Service from '../models/service.js'
import ServiceStaff from '../models/service_staff.js'
import ServiceResource from '../models/service_resource.js'

const MINUTE = 60_000

/*
 * What booking a sequence of services at a start time `s` holds, relative to
 * `s`: the staff member from the first buffer before to the last buffer after,
 * and each needed resource during its service (with that service's buffers).
 */
export type Hold = { kind: 'staff' | 'resource'; subjectId: number; from: number; to: number }

export type BookingPlan = {
  services: Service[]
  /* service time, without buffers */
  durationMs: number
  items: { service: Service; from: number; to: number }[]
  /* the staff hold (subjectId filled in per staff member) */
  staffFrom: number
  staffTo: number
  resources: Hold[]
  /* staff members who can perform every service of the sequence */
  staffIds: number[]
}

export async function bookingPlan(
  serviceIds: number[],
  options: { trx?: TransactionClientContract; parameter?: string } = {}
): Promise<BookingPlan> {
  const pointer = options.parameter ? undefined : '/data/attributes/serviceIds'
  const fail = (code: string, detail: string) => {
    const error = new ApiError(options.parameter ? 400 : 422, code, detail, { pointer })
    if (options.parameter) error.parameter = options.parameter
    return error
  }
  if (!serviceIds.length) throw fail('VALIDATION_ERROR', 'Name a service')
  const query = { client: options.trx }
  const unique = [...new Set(serviceIds)]
  const rows = await Service.query(query).whereIn('id', unique).where('active', true)
  const byId = new Map(rows.map((row) => [row.id, row]))
  const missing = unique.filter((id) => !byId.has(id))
  if (missing.length)
    throw fail('UNKNOWN_SERVICE', `No active service with id ${missing.join(', ')}`)
  const services = serviceIds.map((id) => byId.get(id)!)
  const [staffRows, resourceRows] = await Promise.all([
    ServiceStaff.query(query).whereIn('service_id', unique),
    ServiceResource.query(query).whereIn('service_id', unique),
  ])

  let staffIds: number[] | null = null
  for (const id of unique) {
    const able = staffRows.filter((row) => row.serviceId === id).map((row) => row.userId)
    staffIds = staffIds === null ? able : staffIds.filter((user) => able.includes(user))
  }

  const items: BookingPlan['items'] = []
  const resources: Hold[] = []
  let offset = 0
  for (const service of services) {
    const duration = service.durationMinutes * MINUTE
    items.push({ service, from: offset, to: offset + duration })
    for (const link of resourceRows.filter((row) => row.serviceId === service.id)) {
      resources.push({
        kind: 'resource',
        subjectId: link.resourceId,
        from: offset - service.bufferBeforeMinutes * MINUTE,
        to: offset + duration + service.bufferAfterMinutes * MINUTE,
      })
    }
    offset += duration
  }
  // one hold per resource: two services of the sequence needing the same chair keep it throughout
  const merged = new Map<number, Hold>()
  for (const hold of resources) {
    const seen = merged.get(hold.subjectId)
    merged.set(
      hold.subjectId,
      seen
        ? { ...seen, from: Math.min(seen.from, hold.from), to: Math.max(seen.to, hold.to) }
        : hold
    )
  }
  return {
    services,
    durationMs: offset,
    items,
    staffFrom: -services[0].bufferBeforeMinutes * MINUTE,
    staffTo: offset + services[services.length - 1].bufferAfterMinutes * MINUTE,
    resources: [...merged.values()],
    staffIds: (staffIds ?? []).sort((a, b) => a - b),
  }
}

/* the holds of a booking at `startMs` with a staff member */
export function holdsAt(plan: BookingPlan, staffId: number, startMs: number): Hold[] {
  return [
    {
      kind: 'staff',
      subjectId: staffId,
      from: startMs + plan.staffFrom,
      to: startMs + plan.staffTo,
    },
    ...plan.resources.map((hold) => ({
      ...hold,
      from: startMs + hold.from,
      to: startMs + hold.to,
    })),
  ]
}
