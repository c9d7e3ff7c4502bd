import type { HttpContext } from '@adonisjs/core/http'
import Membership from '#models/membership'
import { addMemberValidator, changeMemberRoleValidator } from '#tenancy/validators/member_validator'
import { addMember, changeMemberRole, removeMember } from '#tenancy/actions/manage_members'
import { validateAttributes, resource, single } from '#http/envelope'
import { paginate } from '#http/list_query'

export const memberResource = (membership: Membership) =>
  resource('member', membership.id, {
    userId: String(membership.userId),
    email: membership.user.email,
    fullName: membership.user.fullName,
    role: membership.role.key,
    roleName: membership.role.name,
    twoFactorEnabled: membership.user.hasTwoFactor,
    joinedAt: membership.createdAt?.toISO(),
  })

const withPeople = () =>
  Membership.query()
    .join('users', 'users.id', 'memberships.user_id')
    .join('roles', 'roles.id', 'memberships.role_id')
    .select('memberships.*')
    .preload('user')
    .preload('role')

export default class MembersController {
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      withPeople(),
      {
        sortable: {
          joinedAt: 'memberships.created_at',
          email: 'users.email',
          fullName: 'users.full_name',
          role: 'roles.key',
        },
        filterable: { role: 'roles.key' },
        searchable: ['users.email', 'users.full_name'],
        defaultSort: 'fullName',
      },
      memberResource
    )
  }

  async show({ params }: HttpContext) {
    return single(
      memberResource(await withPeople().where('memberships.id', params.id).firstOrFail())
    )
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, addMemberValidator)
    const { membership, invitationUrl } = await addMember(ctx.actor!, input)
    ctx.response.status(201)
    return single(memberResource(membership), invitationUrl ? { invitationUrl } : undefined)
  }

  async update(ctx: HttpContext) {
    const input = await validateAttributes(ctx, changeMemberRoleValidator)
    return single(
      memberResource(await changeMemberRole(ctx.actor!, Number(ctx.params.id), input.role))
    )
  }

  async destroy(ctx: HttpContext) {
    await removeMember(ctx.actor!, Number(ctx.params.id))
    return ctx.response.noContent()
  }
}
