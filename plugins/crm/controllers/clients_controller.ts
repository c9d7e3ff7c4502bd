import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { ApiError, audit, paginate, resource, single, validateAttributes } from '#plinth'
import Client from '../models/client.js'
import Note from '../models/note.js'
import {
  createClientValidator,
  createNoteValidator,
  updateClientValidator,
} from '../validators/client_validator.js'
import { createClient, loadClient, updateClient } from '../services/client_writer.js'
import { searchClientIds } from '../services/client_search.js'
import { clientResource } from '../services/client_resource.js'
import { clientsWithLists } from '../services/client_loader.js'

const LIST = {
  sortable: { id: 'id', name: 'name', createdAt: 'created_at', updatedAt: 'updated_at' },
  filterable: { status: 'status', kind: 'kind' },
  defaultSort: 'name',
}

const STATUSES = ['active', 'archived']

function badParameter(parameter: string, detail: string) {
  const error = new ApiError(400, 'INVALID_QUERY_PARAMETER', detail)
  error.parameter = parameter
  return error
}

function positive(raw: unknown, name: string, fallback: number, max: number) {
  if (raw === undefined || raw === '') return fallback
  const value = typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : 0
  if (value < 1 || value > max)
    throw badParameter(name, `"${name}" must be an integer from 1 to ${max}`)
  return value
}

const withLists = () =>
  Client.query()
    .preload('emails', (q) => q.orderBy('position'))
    .preload('phones', (q) => q.orderBy('position'))
    .preload('tags', (q) => q.orderBy('tag'))

export default class ClientsController {
  /* GET /clients: the list, or ranked search results with ?search= */
  async index(ctx: HttpContext) {
    const qs = ctx.request.qs()
    const search = qs.search
    if (search === undefined || search === '')
      return paginate(ctx, withLists(), LIST, clientResource)

    if (typeof search !== 'string') throw badParameter('search', '"search" must be a string')
    if (search.length > 200) throw badParameter('search', '"search" must be at most 200 characters')
    if (search.includes('\u0000'))
      throw badParameter('search', '"search" must not contain NUL characters')
    if (qs.sort !== undefined)
      throw badParameter('sort', 'Search results are ranked: "sort" cannot be used with "search"')
    const page = positive(qs.page, 'page', 1, 20)
    const limit = positive(qs.limit, 'limit', 25, 100)
    let status: string[] | undefined
    if (qs.filter !== undefined) {
      const filter = qs.filter
      const unknown =
        typeof filter === 'object' && filter
          ? Object.keys(filter).filter((key) => key !== 'status')
          : ['?']
      if (unknown.length)
        throw badParameter('filter', 'With "search", only filter[status] is allowed')
      status = String(filter.status).split(',')
      if (status.some((value) => !STATUSES.includes(value)))
        throw badParameter('filter[status]', 'filter[status] must be active or archived')
    }

    const ids: number[] = await searchClientIds(search, { status })
    const pageIds = ids.slice((page - 1) * limit, page * limit)
    const rows = await clientsWithLists(pageIds, ['emails', 'phones', 'tags'])
    const byId = new Map(rows.map((row) => [row.id, row]))
    return {
      data: pageIds.flatMap((id) => (byId.has(id) ? [clientResource(byId.get(id)!)] : [])),
      meta: {
        page,
        limit,
        total: ids.length,
        totalPages: Math.max(1, Math.ceil(ids.length / limit)),
        ranked: true,
      },
    }
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createClientValidator)
    const id = await createClient(input)
    ctx.response.status(201)
    return single(clientResource(await loadClient(id)))
  }

  async show({ params }: HttpContext) {
    return single(clientResource(await loadClient(params.id)))
  }

  async update(ctx: HttpContext) {
    const id = Number(ctx.params.id)
    await Client.findOrFail(id)
    const input = await validateAttributes(ctx, updateClientValidator)
    await updateClient(id, input)
    return single(clientResource(await loadClient(id)))
  }

  async notes({ params }: HttpContext) {
    await Client.findOrFail(params.id)
    const notes = await Note.query().where('client_id', params.id).orderBy('id', 'desc').limit(200)
    return { data: notes.map((note) => noteResource(note)) }
  }

  async addNote(ctx: HttpContext) {
    const client = await Client.findOrFail(ctx.params.id)
    const input = await validateAttributes(ctx, createNoteValidator)
    const note = await db.transaction(async (trx) => {
      const created = await Note.create(
        { clientId: client.id, body: input.body, authorUserId: ctx.actor?.user.id ?? null },
        { client: trx }
      )
      await audit(
        {
          action: 'crm.note.created',
          subjectType: 'crm-client',
          subjectId: client.id,
          meta: { noteId: created.id },
        },
        trx
      )
      return created
    })
    ctx.response.status(201)
    return single(noteResource(note))
  }
}

const noteResource = (note: Note) =>
  resource('crm-note', note.id, {
    clientId: note.clientId,
    body: note.body,
    authorId: note.authorUserId,
    createdAt: note.createdAt.toISO(),
  })
