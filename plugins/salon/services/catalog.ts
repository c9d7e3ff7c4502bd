import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError, audit, isTeamMember, resource } from '#plinth'
import Location from '../models/location.js'
import Resource from '../models/resource.js'
import Service from '../models/service.js'
import ServiceStaff from '../models/service_staff.js'
import ServiceResource from '../models/service_resource.js'
import { clock, isValidZone, minuteOfDay } from './local_time.js'

const at = (field: string) => `/data/attributes/${field}`

export function checkZone(zone: string | undefined) {
  if (zone !== undefined && !isValidZone(zone))
    throw new ApiError(422, 'INVALID_TIME_ZONE', `"${zone}" is not an IANA time zone`, {
      pointer: at('timeZone'),
    })
}

/* opening hours as stored: minutes after local midnight, closing after opening */
export function openingHoursOf(rows: { weekday: number; opens: string; closes: string }[]) {
  return rows.map((row, index) => {
    const opens = minuteOfDay(row.opens)
    const closes = minuteOfDay(row.closes)
    if (closes <= opens)
      throw new ApiError(422, 'VALIDATION_ERROR', 'closes must be after opens', {
        pointer: at(`openingHours/${index}/closes`),
      })
    return { weekday: row.weekday, opens, closes }
  })
}

export const locationResource = (location: Location) =>
  resource('salon-location', location.id, {
    name: location.name,
    timeZone: location.timeZone,
    openingHours: location.openingHours.map((row) => ({
      weekday: row.weekday,
      opens: clock(row.opens),
      closes: clock(row.closes),
    })),
  })

export const resourceResource = (row: Resource) =>
  resource('salon-resource', row.id, {
    name: row.name,
    capacity: row.capacity,
    locationId: row.locationId,
  })

export const serviceResource = (service: Service) =>
  resource('salon-service', service.id, {
    name: service.name,
    description: service.description,
    durationMinutes: service.durationMinutes,
    bufferBeforeMinutes: service.bufferBeforeMinutes,
    bufferAfterMinutes: service.bufferAfterMinutes,
    prices: service.prices,
    deposits: service.deposits,
    active: service.active,
    staffIds: (service.staff ?? []).map((row) => row.userId).sort((a, b) => a - b),
    resourceIds: (service.resources ?? []).map((row) => row.resourceId).sort((a, b) => a - b),
  })

export const withLinks = () => Service.query().preload('staff').preload('resources')

export type ServiceInput = {
  name?: string
  description?: string | null
  durationMinutes?: number
  bufferBeforeMinutes?: number
  bufferAfterMinutes?: number
  prices?: Record<string, string>
  deposits?: Record<string, string>
  staffIds?: number[]
  resourceIds?: number[]
  active?: boolean
}

/* staff must be team members, resources the tenant's, deposits not above the price */
async function checkService(
  input: ServiceInput,
  current: Service | null,
  trx: TransactionClientContract
) {
  for (const [index, userId] of (input.staffIds ?? []).entries())
    if (!(await isTeamMember(userId, trx)))
      throw new ApiError(422, 'UNKNOWN_STAFF', `No team member with id ${userId}`, {
        pointer: at(`staffIds/${index}`),
      })
  const resourceIds = [...new Set(input.resourceIds ?? [])]
  if (resourceIds.length) {
    const found = await Resource.query({ client: trx }).whereIn('id', resourceIds)
    const missing = resourceIds.find((id) => !found.some((row) => row.id === id))
    if (missing !== undefined)
      throw new ApiError(422, 'UNKNOWN_RESOURCE', `No resource with id ${missing}`, {
        pointer: at(`resourceIds/${input.resourceIds!.indexOf(missing)}`),
      })
  }
  const prices = input.prices ?? current?.prices ?? {}
  for (const [code, deposit] of Object.entries(input.deposits ?? current?.deposits ?? {})) {
    if (prices[code] === undefined || BigInt(deposit) > BigInt(prices[code]))
      throw new ApiError(
        422,
        'VALIDATION_ERROR',
        `The ${code} deposit must not exceed the ${code} price`,
        { pointer: at(`deposits/${code}`) }
      )
  }
}

async function replaceLinks(service: Service, input: ServiceInput, trx: TransactionClientContract) {
  const options = { client: trx }
  if (input.staffIds) {
    await ServiceStaff.query(options).where('service_id', service.id).delete()
    await ServiceStaff.createMany(
      [...new Set(input.staffIds)].map((userId) => ({ serviceId: service.id, userId })),
      options
    )
  }
  if (input.resourceIds) {
    await ServiceResource.query(options).where('service_id', service.id).delete()
    await ServiceResource.createMany(
      [...new Set(input.resourceIds)].map((resourceId) => ({ serviceId: service.id, resourceId })),
      options
    )
  }
}

export async function saveService(id: number | null, input: ServiceInput) {
  const serviceId = await db.transaction(async (trx) => {
    const current =
      id === null ? null : await Service.query({ client: trx }).where('id', id).firstOrFail()
    await checkService(input, current, trx)
    const fields = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.durationMinutes !== undefined ? { durationMinutes: input.durationMinutes } : {}),
      ...(input.bufferBeforeMinutes !== undefined
        ? { bufferBeforeMinutes: input.bufferBeforeMinutes }
        : {}),
      ...(input.bufferAfterMinutes !== undefined
        ? { bufferAfterMinutes: input.bufferAfterMinutes }
        : {}),
      ...(input.prices !== undefined ? { prices: input.prices } : {}),
      ...(input.deposits !== undefined ? { deposits: input.deposits } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
    }
    const service = current ?? new Service()
    if (!current)
      service.merge({
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        deposits: {},
        active: true,
        description: null,
      })
    service.merge(fields)
    await service.useTransaction(trx).save()
    await replaceLinks(service, input, trx)
    await audit(
      {
        action: current ? 'salon.service.updated' : 'salon.service.created',
        subjectType: 'salon-service',
        subjectId: service.id,
      },
      trx
    )
    return service.id
  })
  return withLinks().where('id', serviceId).firstOrFail()
}
