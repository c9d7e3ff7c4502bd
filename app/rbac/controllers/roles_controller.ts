import type { HttpContext } from '@adonisjs/core/http'
import Role from '#models/role'
import Membership from '#models/membership'
import { SYSTEM_ROLES } from '#rbac/permission_registry'
import { createRoleValidator, updateRoleValidator } from '#rbac/validators/role_validator'
import { validateAttributes, single } from '#http/envelope'
import { paginate } from '#http/list_query'
import { ApiError } from '#http/api_error'
import { roleResource } from '#tenancy/resources'
import { audit } from '#audit/audit_log'
import type { Actor } from '#tenancy/actor'

/* Nobody hands out a permission they do not hold themselves. */
function assertCanGrant(actor: Actor, permissions: string[]) {
  const missing = permissions.filter((key) => !actor.permissions.has(key))
  if (missing.length) {
    throw new ApiError(
      403,
      'PERMISSION_ESCALATION',
      `You cannot grant permissions you do not hold: ${missing.join(', ')}`,
      {
        pointer: '/data/attributes/permissions',
      }
    )
  }
}

export default class RolesController {
  async index(ctx: HttpContext) {
    return paginate(
      ctx,
      Role.query(),
      {
        sortable: { name: 'name', key: 'key', createdAt: 'created_at' },
        filterable: { isSystem: { column: 'is_system', type: 'boolean' } },
        searchable: ['name', 'key'],
        defaultSort: 'name',
      },
      roleResource
    )
  }

  async show({ params }: HttpContext) {
    return single(roleResource(await Role.findOrFail(params.id)))
  }

  async store(ctx: HttpContext) {
    const input = await validateAttributes(ctx, createRoleValidator)
    if (
      SYSTEM_ROLES.some((role) => role.key === input.key) ||
      (await Role.findBy('key', input.key))
    ) {
      throw new ApiError(409, 'ROLE_KEY_TAKEN', `A role with key "${input.key}" exists`, {
        pointer: '/data/attributes/key',
      })
    }
    assertCanGrant(ctx.actor!, input.permissions)
    const role = await Role.create({ ...input, isSystem: false })
    await audit({
      action: 'role.created',
      subjectType: 'role',
      subjectId: role.id,
      meta: { key: role.key, permissions: role.permissions },
    })
    ctx.response.status(201)
    return single(roleResource(role))
  }

  async update(ctx: HttpContext) {
    const role = await Role.findOrFail(ctx.params.id)
    const input = await validateAttributes(ctx, updateRoleValidator)
    if (role.isSystem)
      throw new ApiError(
        409,
        'SYSTEM_ROLE_READ_ONLY',
        'Built-in roles cannot be changed; create a custom role'
      )
    if (input.permissions) assertCanGrant(ctx.actor!, input.permissions)
    const before = { name: role.name, permissions: role.permissions }
    role.merge(input)
    await role.save()
    await audit({
      action: 'role.updated',
      subjectType: 'role',
      subjectId: role.id,
      meta: { before, after: input },
    })
    return single(roleResource(role))
  }

  async destroy(ctx: HttpContext) {
    const role = await Role.findOrFail(ctx.params.id)
    if (role.isSystem)
      throw new ApiError(409, 'SYSTEM_ROLE_READ_ONLY', 'Built-in roles cannot be deleted')
    const inUse = await Membership.query().where('role_id', role.id).first()
    if (inUse)
      throw new ApiError(
        409,
        'ROLE_IN_USE',
        'Members still hold this role; move them to another role first'
      )
    await role.delete()
    await audit({
      action: 'role.deleted',
      subjectType: 'role',
      subjectId: role.id,
      meta: { key: role.key },
    })
    return ctx.response.noContent()
  }
}
