import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Membership from '#models/membership'
import Role from '#models/role'
import Tenant from '#models/tenant'
import User from '#models/user'
import { ApiError } from '#http/api_error'
import { audit } from '#audit/audit_log'
import type { Actor } from '#tenancy/actor'

/*
 * Membership rules in one place: only an owner makes or unmakes owners, and a
 * tenant always keeps at least one owner. Changes run with the tenant row
 * locked so two parallel demotions cannot both pass the last-owner check.
 */
async function lockTenant(trx: TransactionClientContract, tenantId: number) {
  const query = Tenant.query({ client: trx }).where('id', tenantId)
  if (trx.dialect.name === 'postgres') query.forUpdate()
  await query.firstOrFail()
}

async function findRole(key: string, trx?: TransactionClientContract) {
  const role = await Role.query({ client: trx }).where('key', key).first()
  if (!role)
    throw new ApiError(422, 'VALIDATION_ERROR', `Unknown role "${key}"`, {
      pointer: '/data/attributes/role',
    })
  return role
}

function assertMayAssign(actor: Actor, role: Role) {
  if (role.key === 'owner' && actor.role.key !== 'owner') {
    throw new ApiError(403, 'OWNER_ONLY', 'Only an owner can make someone an owner')
  }
  const missing = role.effectivePermissions.filter((key) => !actor.permissions.has(key))
  if (missing.length) {
    throw new ApiError(
      403,
      'PERMISSION_ESCALATION',
      `You cannot assign a role with permissions you do not hold: ${missing.join(', ')}`,
      {
        pointer: '/data/attributes/role',
      }
    )
  }
}

async function ownerCount(trx: TransactionClientContract) {
  const rows = await Membership.query({ client: trx })
    .join('roles', 'roles.id', 'memberships.role_id')
    .where('roles.key', 'owner')
    .count('* as total')
  return Number(rows[0].$extras.total)
}

export async function addMember(
  actor: Actor,
  input: { email: string; fullName?: string; role: string }
) {
  const role = await findRole(input.role)
  assertMayAssign(actor, role)

  return db.transaction(async (trx) => {
    let user = await User.query({ client: trx }).where('email', input.email).first()
    let invited = false
    if (!user) {
      if (!input.fullName) {
        throw new ApiError(
          422,
          'VALIDATION_ERROR',
          'fullName is required for someone without a Plinth account',
          {
            pointer: '/data/attributes/fullName',
          }
        )
      }
      // a random password nobody knows; the invitation link sets the real one
      user = await User.create(
        {
          email: input.email,
          fullName: input.fullName,
          password: randomBytes(32).toString('hex'),
          invitationPending: true,
        },
        { client: trx }
      )
      invited = true
    } else if (await Membership.query({ client: trx }).where('user_id', user.id).first()) {
      throw new ApiError(
        409,
        'ALREADY_MEMBER',
        `${input.email} is already a member of this tenant`,
        { pointer: '/data/attributes/email' }
      )
    }
    const membership = await Membership.create(
      { userId: user.id, roleId: role.id },
      { client: trx }
    )
    await audit(
      {
        action: 'member.added',
        subjectType: 'membership',
        subjectId: membership.id,
        meta: { userId: user.id, role: role.key, invited },
      },
      trx
    )
    membership.$setRelated('user', user)
    membership.$setRelated('role', role)
    const invitationUrl = invited
      ? router.makeSignedUrl(
          'api.invitations.accept',
          { id: user.id },
          { expiresIn: '7 days', purpose: 'invitation' }
        )
      : null
    return { membership, invitationUrl }
  })
}

export async function changeMemberRole(actor: Actor, membershipId: number, roleKey: string) {
  return db.transaction(async (trx) => {
    await lockTenant(trx, actor.tenant.id)
    const membership = await Membership.query({ client: trx })
      .where('id', membershipId)
      .preload('role')
      .preload('user')
      .firstOrFail()
    const role = await findRole(roleKey, trx)
    if (membership.role.id === role.id) return membership
    assertMayAssign(actor, role)
    if (membership.role.key === 'owner') {
      if (actor.role.key !== 'owner')
        throw new ApiError(403, 'OWNER_ONLY', "Only an owner can change an owner's role")
      if ((await ownerCount(trx)) <= 1) {
        throw new ApiError(
          409,
          'LAST_OWNER',
          'A tenant needs at least one owner: make someone else owner first'
        )
      }
    }
    const before = membership.role.key
    membership.roleId = role.id
    await membership.useTransaction(trx).save()
    membership.$setRelated('role', role)
    await audit(
      {
        action: 'member.role_changed',
        subjectType: 'membership',
        subjectId: membership.id,
        meta: { userId: membership.userId, from: before, to: role.key },
      },
      trx
    )
    return membership
  })
}

export async function removeMember(actor: Actor, membershipId: number) {
  await db.transaction(async (trx) => {
    await lockTenant(trx, actor.tenant.id)
    const membership = await Membership.query({ client: trx })
      .where('id', membershipId)
      .preload('role')
      .firstOrFail()
    if (membership.role.key === 'owner') {
      if (actor.role.key !== 'owner')
        throw new ApiError(403, 'OWNER_ONLY', 'Only an owner can remove an owner')
      if ((await ownerCount(trx)) <= 1) {
        throw new ApiError(409, 'LAST_OWNER', 'The last owner cannot be removed')
      }
    }
    await membership.useTransaction(trx).delete()
    // their API tokens for this tenant stop working at once
    await trx
      .from('auth_access_tokens')
      .where({ tenant_id: actor.tenant.id, tokenable_id: membership.userId })
      .delete()
    await audit(
      {
        action: 'member.removed',
        subjectType: 'membership',
        subjectId: membership.id,
        meta: { userId: membership.userId, role: membership.role.key },
      },
      trx
    )
  })
}
