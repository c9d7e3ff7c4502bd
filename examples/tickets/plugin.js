// @ts-check
/*
 * plinth-plugin-tickets: support tickets. A third-party plugin is plain
 * JavaScript (ESM) that imports the kernel through `@plinth/sdk` only; the
 * app lists it in config/plugins.ts `packages` and runs `node ace migration:run`.
 */
import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { audit, definePlugin, paginate, resource, single, validateAttributes } from '@plinth/sdk'
import { Ticket } from './lib/ticket.js'

const openTicketValidator = vine.compile(
  vine.object({
    subject: vine.string().trim().minLength(3).maxLength(200),
    priority: vine.enum(['low', 'normal', 'high']).optional(),
  })
)

/** @param {Ticket} ticket */
const toResource = (ticket) =>
  resource('ticket', ticket.id, {
    subject: ticket.subject,
    priority: ticket.priority,
    status: ticket.closedAt ? 'closed' : 'open',
    closedAt: ticket.closedAt?.toISO() ?? null,
    createdAt: ticket.createdAt.toISO(),
  })

export default definePlugin({
  id: 'tickets',
  name: 'Tickets',
  version: '1.0.0',
  description: 'Support tickets with a nightly clean-up of stale ones',
  requires: { kernel: '^1.0.0' },
  permissions: [
    {
      key: 'tickets.read',
      description: 'See support tickets',
      roles: ['admin', 'manager', 'dispatcher', 'worker'],
    },
    {
      key: 'tickets.write',
      description: 'Open and close support tickets',
      roles: ['admin', 'manager', 'dispatcher'],
    },
  ],
  migrations: 'database/migrations',

  routes(router) {
    router
      .get('/tickets', (ctx) =>
        paginate(
          ctx,
          Ticket.query(),
          {
            sortable: { id: 'id', createdAt: 'created_at' },
            defaultSort: '-id',
            searchable: ['subject'],
          },
          toResource
        )
      )
      .as('tickets.tickets.index')
      .describe({
        summary: 'List tickets',
        tag: 'Tickets',
        resource: 'ticket',
        list: true,
        permission: 'tickets.read',
      })

    router
      .post('/tickets', async (ctx) => {
        const input = await validateAttributes(ctx, openTicketValidator)
        const ticket = await db.transaction(async (trx) => {
          const created = await Ticket.create(
            { subject: input.subject, priority: input.priority ?? 'normal' },
            { client: trx }
          )
          await audit(
            { action: 'tickets.ticket.opened', subjectType: 'ticket', subjectId: created.id },
            trx
          )
          return created
        })
        ctx.response.status(201)
        return single(toResource(ticket))
      })
      .as('tickets.tickets.store')
      .describe({
        summary: 'Open a ticket',
        tag: 'Tickets',
        body: openTicketValidator,
        resource: 'ticket',
        permission: 'tickets.write',
        status: 201,
      })

    router
      .get('/tickets/:id', async ({ params }) =>
        single(toResource(await Ticket.findOrFail(params.id)))
      )
      .where('id', /^[0-9]{1,15}$/)
      .as('tickets.tickets.show')
      .describe({
        summary: 'Show a ticket',
        tag: 'Tickets',
        resource: 'ticket',
        permission: 'tickets.read',
      })
  },

  pages: [
    {
      path: '/',
      component: 'index',
      title: 'Tickets',
      permission: 'tickets.read',
      async props() {
        const tickets = await Ticket.query().orderBy('id', 'desc').limit(100)
        return {
          tickets: tickets.map((ticket) => ({
            id: ticket.id,
            subject: ticket.subject,
            priority: ticket.priority,
            open: ticket.closedAt === null,
          })),
        }
      },
    },
  ],
  nav: [{ label: 'Tickets', path: '/' }],

  jobs: [
    {
      /* closes the tenant's open tickets older than `days` (runs in the tenant's context) */
      name: 'tickets.close-stale',
      attempts: 3,
      /** @param {{ days?: number }} payload */
      async handle(payload) {
        const before = DateTime.now().minus({ days: payload?.days ?? 30 })
        await Ticket.query()
          .whereNull('closed_at')
          .where('created_at', '<=', before.toSQL({ includeOffset: false }))
          .update({ closed_at: DateTime.now().toSQL({ includeOffset: false }) })
      },
    },
  ],
  schedules: [
    {
      key: 'tickets.nightly-clean-up',
      cron: '15 2 * * *',
      job: 'tickets.close-stale',
      payload: { days: 30 },
    },
  ],
})
