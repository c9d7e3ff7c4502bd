import { HttpContext } from '@adonisjs/core/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AuditLogEntry from '#models/audit_log_entry'
import { tenantContext } from '#tenancy/tenant_context'

export type AuditInput = {
  action: string
  tenantId?: number | null
  actorUserId?: number | null
  subjectType?: string
  subjectId?: string | number
  meta?: Record<string, unknown>
}

/*
 * Appends one audit entry. Actor, tenant, request id and IP default to the
 * current request; pass the transaction so the entry commits with the change.
 */
export async function audit(input: AuditInput, trx?: TransactionClientContract) {
  return AuditLogEntry.create(auditValues(input), { client: trx })
}

/* The entry's values with the request's defaults filled in (call it in the request's context). */
function auditValues(input: AuditInput) {
  const ctx = HttpContext.get()
  return {
    tenantId: input.tenantId !== undefined ? input.tenantId : tenantContext.tenantId,
    actorUserId:
      input.actorUserId !== undefined
        ? input.actorUserId
        : (ctx?.actor?.user.id ?? ctx?.auth?.user?.id ?? null),
    action: input.action,
    subjectType: input.subjectType ?? null,
    subjectId: input.subjectId !== undefined ? String(input.subjectId) : null,
    requestId: ctx?.request.id() ?? null,
    ip: ctx?.request.ip() ?? null,
    meta: input.meta ?? null,
  }
}

/*
 * The audit_logs row audit() would insert, for a writer that inserts many rows
 * in one statement (the ledger's group commit); `createdAt` is written in the
 * database's date-time format.
 */
export function auditRow(input: AuditInput, createdAt: string) {
  const values = auditValues(input)
  return {
    tenant_id: values.tenantId,
    actor_user_id: values.actorUserId,
    action: values.action,
    subject_type: values.subjectType,
    subject_id: values.subjectId,
    request_id: values.requestId,
    ip: values.ip,
    meta: values.meta ? JSON.stringify(values.meta) : null,
    created_at: createdAt,
  }
}
