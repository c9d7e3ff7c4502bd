import type { HttpContext } from '@adonisjs/core/http'
import AuditLogEntry from '#models/audit_log_entry'
import { resource } from '#http/envelope'
import { paginate } from '#http/list_query'

export const auditResource = (entry: AuditLogEntry) =>
  resource('audit-entry', entry.id, {
    action: entry.action,
    actorUserId: entry.actorUserId === null ? null : String(entry.actorUserId),
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    requestId: entry.requestId,
    ip: entry.ip,
    meta: entry.meta,
    createdAt: entry.createdAt.toISO(),
  })

export default class AuditLogController {
  /* GET /api/v1/audit-log: this tenant's entries, newest first. */
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      AuditLogEntry.query().where('tenant_id', ctx.actor!.tenant.id),
      {
        sortable: { createdAt: 'created_at', id: 'id', action: 'action' },
        filterable: { action: 'action', actorUserId: 'actor_user_id', subjectType: 'subject_type' },
        defaultSort: '-id',
      },
      auditResource
    )
  }
}
