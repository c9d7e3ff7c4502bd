import vine from '@vinejs/vine'
import { permissionRegistry } from '#rbac/permission_registry'

const knownPermission = vine.createRule((value, _options, field) => {
  if (typeof value === 'string' && !permissionRegistry.has(value)) {
    field.report(`Unknown permission "${value}"`, 'knownPermission', field)
  }
})

const permissions = () =>
  vine.array(vine.string().trim().maxLength(100).use(knownPermission())).maxLength(500).distinct()

export const createRoleValidator = vine.compile(
  vine.object({
    key: vine
      .string()
      .trim()
      .toLowerCase()
      .minLength(2)
      .maxLength(63)
      .regex(/^[a-z][a-z0-9_]*$/),
    name: vine.string().trim().minLength(1).maxLength(100),
    permissions: permissions(),
  })
)

export const updateRoleValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(100).optional(),
    permissions: permissions().optional(),
  })
)
