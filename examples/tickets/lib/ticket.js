// @ts-check
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '@plinth/sdk'

/*
 * A support ticket: id, subject, priority ('low' | 'normal' | 'high'),
 * closedAt, createdAt. Plain JavaScript has no decorators, so the column
 * decorators are applied as functions (what `@column()` compiles to); no
 * class fields either, they would shadow the model's attributes.
 */
export class Ticket extends TenantScopedModel {
  static table = 'tickets_tickets'
}

column({ isPrimary: true })(Ticket.prototype, 'id')
column()(Ticket.prototype, 'subject')
column()(Ticket.prototype, 'priority')
column.dateTime()(Ticket.prototype, 'closedAt')
column.dateTime({ autoCreate: true })(Ticket.prototype, 'createdAt')
