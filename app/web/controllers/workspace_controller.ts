import type { HttpContext } from '@adonisjs/core/http'
import Membership from '#models/membership'
import Role from '#models/role'
import User from '#models/user'
import AuditLogEntry from '#models/audit_log_entry'
import { hasPermission } from '#abilities/main'
import { mustEnrollTwoFactor } from '#middleware/api_auth_middleware'
import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type { AuditRow, DashboardProps, MemberRow, RoleRow } from '#web/page_props'

const AUDIT_PAGE_SIZE = 50

async function count(query: ModelQueryBuilderContract<LucidModel>) {
  const rows = await query.count('* as total')
  return Number(rows[0].$extras.total)
}

/* The kernel's read-only staff pages. Lists are tenant-scoped by the models. */
export default class WorkspaceController {
  async dashboard({ actor, inertia }: HttpContext) {
    const props: DashboardProps = {
      counts: {
        members: await count(Membership.query()),
        roles: await count(Role.query()),
        auditEntries: actor!.permissions.has('audit.read')
          ? await count(AuditLogEntry.query().where('tenant_id', actor!.tenant.id))
          : null,
      },
      twoFactorEnabled: actor!.user.hasTwoFactor,
      mustEnrollTwoFactor: mustEnrollTwoFactor(actor!),
    }
    return inertia.render('dashboard', props)
  }

  async members({ bouncer, inertia }: HttpContext) {
    await bouncer.authorize(hasPermission, 'members.read')
    const memberships = await Membership.query()
      .join('users', 'users.id', 'memberships.user_id')
      .select('memberships.*')
      .preload('user')
      .preload('role')
      .orderBy('users.full_name', 'asc')
    const members: MemberRow[] = memberships.map((membership) => ({
      id: membership.id,
      fullName: membership.user.fullName,
      email: membership.user.email,
      role: membership.role.name,
      twoFactorEnabled: membership.user.hasTwoFactor,
      joinedAt: membership.createdAt?.toISO() ?? null,
    }))
    return inertia.render('members', { members })
  }

  async roles({ bouncer, inertia }: HttpContext) {
    await bouncer.authorize(hasPermission, 'roles.read')
    const rows = await Role.query().orderBy('is_system', 'desc').orderBy('name', 'asc')
    const roles: RoleRow[] = rows.map((role) => ({
      id: role.id,
      key: role.key,
      name: role.name,
      isSystem: role.isSystem,
      permissions: role.effectivePermissions,
    }))
    return inertia.render('roles', { roles })
  }

  /* the newest entries; the API pages through the rest */
  async auditLog({ actor, bouncer, inertia }: HttpContext) {
    await bouncer.authorize(hasPermission, 'audit.read')
    const entries = await AuditLogEntry.query()
      .where('tenant_id', actor!.tenant.id)
      .orderBy('id', 'desc')
      .limit(AUDIT_PAGE_SIZE)
    const actorIds = [
      ...new Set(
        entries.map((entry) => entry.actorUserId).filter((id): id is number => id !== null)
      ),
    ]
    const users = await User.query().whereIn('id', actorIds)
    const people = new Map(users.map((user) => [user.id, user]))
    const rows: AuditRow[] = entries.map((entry) => {
      const person = entry.actorUserId === null ? undefined : people.get(entry.actorUserId)
      return {
        id: entry.id,
        action: entry.action,
        actor: person
          ? `${person.fullName} <${person.email}>`
          : entry.actorUserId === null
            ? null
            : `user ${entry.actorUserId}`,
        subject: entry.subjectType ? `${entry.subjectType} ${entry.subjectId ?? ''}`.trim() : null,
        ip: entry.ip,
        createdAt: entry.createdAt.toISO()!,
      }
    })
    return inertia.render('audit_log', { entries: rows, limit: AUDIT_PAGE_SIZE })
  }
}
