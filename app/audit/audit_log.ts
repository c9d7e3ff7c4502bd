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
  const ctx = HttpContext.get()
  return AuditLogEntry.create(
    {
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
    },
    { client: trx }
  )
}
