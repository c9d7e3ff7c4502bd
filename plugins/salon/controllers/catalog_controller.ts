import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { ApiError, audit, paginate, single, validateAttributes } from '#plinth'
import Location from '../models/location.js'
import Resource from '../models/resource.js'
import {
  createLocationValidator,
  createResourceValidator,
  createServiceValidator,
  updateLocationValidator,
  updateResourceValidator,
  updateServiceValidator,
} from '../validators/catalog_validator.js'
import {
  checkZone,
  locationResource,
  openingHoursOf,
  resourceResource,
  saveService,
  serviceResource,
  withLinks,
} from '../services/catalog.js'

const byName = { sortable: { id: 'id', name: 'name' }, defaultSort: 'name', searchable: ['name'] }

async function checkLocation(id: number | null | undefined) {
  if (id !== null && id !== undefined && !(await Location.find(id)))
    throw new ApiError(422, 'UNKNOWN_LOCATION', `No location with id ${id}`, {
      pointer: '/data/attributes/locationId',
    })
}

/* Locations (with their zone and opening hours), resources and services. */
export default class CatalogController {
  async locations(ctx: HttpContext) {
    return paginate(ctx, Location.query(), byName, locationResource)
  }

  async showLocation({ params }: HttpContext) {
    return single(locationResource(await Location.findOrFail(params.id)))
  }

  async storeLocation(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createLocationValidator)
    checkZone(input.timeZone)
    const openingHours = openingHoursOf(input.openingHours ?? [])
    const location = await db.transaction(async (trx) => {
      const created = await Location.create(
        { name: input.name, timeZone: input.timeZone, openingHours },
        { client: trx }
      )
      await audit(
        { action: 'salon.location.created', subjectType: 'salon-location', subjectId: created.id },
        trx
      )
      return created
    })
    ctx.response.status(201)
    return single(locationResource(location))
  }

  async updateLocation(ctx: HttpContext) {
    const location = await Location.findOrFail(ctx.params.id)
    const input = await validateAttributes(ctx, updateLocationValidator)
    checkZone(input.timeZone)
    await db.transaction(async (trx) => {
      location.merge({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
        ...(input.openingHours !== undefined
          ? { openingHours: openingHoursOf(input.openingHours) }
          : {}),
      })
      await location.useTransaction(trx).save()
      await audit(
        { action: 'salon.location.updated', subjectType: 'salon-location', subjectId: location.id },
        trx
      )
    })
    return single(locationResource(location))
  }

  async resources(ctx: HttpContext) {
    return paginate(ctx, Resource.query(), byName, resourceResource)
  }

  async showResource({ params }: HttpContext) {
    return single(resourceResource(await Resource.findOrFail(params.id)))
  }

  async storeResource(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createResourceValidator)
    await checkLocation(input.locationId)
    const row = await db.transaction(async (trx) => {
      const created = await Resource.create(
        { name: input.name, capacity: input.capacity ?? 1, locationId: input.locationId ?? null },
        { client: trx }
      )
      await audit(
        { action: 'salon.resource.created', subjectType: 'salon-resource', subjectId: created.id },
        trx
      )
      return created
    })
    ctx.response.status(201)
    return single(resourceResource(row))
  }

  async updateResource(ctx: HttpContext) {
    const row = await Resource.findOrFail(ctx.params.id)
    const input = await validateAttributes(ctx, updateResourceValidator)
    await checkLocation(input.locationId)
    await db.transaction(async (trx) => {
      row.merge({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
        ...(input.locationId !== undefined ? { locationId: input.locationId } : {}),
      })
      await row.useTransaction(trx).save()
      await audit(
        { action: 'salon.resource.updated', subjectType: 'salon-resource', subjectId: row.id },
        trx
      )
    })
    return single(resourceResource(row))
  }

  async services(ctx: HttpContext) {
    return paginate(
      ctx,
      withLinks(),
      {
        ...byName,
        filterable: { active: { column: 'active', type: 'boolean' as const } },
      },
      serviceResource
    )
  }

  async showService({ params }: HttpContext) {
    return single(serviceResource(await withLinks().where('id', params.id).firstOrFail()))
  }

  async storeService(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createServiceValidator)
    const service = await saveService(null, input)
    ctx.response.status(201)
    return single(serviceResource(service))
  }

  async updateService(ctx: HttpContext) {
    await withLinks().where('id', ctx.params.id).firstOrFail()
    const input = await validateAttributes(ctx, updateServiceValidator)
    return single(serviceResource(await saveService(Number(ctx.params.id), input)))
  }
}
