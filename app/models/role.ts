import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#tenancy/tenant_scoped_model'
import { permissionRegistry } from '#rbac/permission_registry'

/*
 * A role in one tenant. System roles (owner, admin, ...) take their permissions
 * from the registry, so a plugin that adds permissions reaches them at once;
 * custom roles store their own list.
 */
export default class Role extends TenantScopedModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare key: string

  @column()
  declare name: string

  /* SQLite hands booleans back as 0/1 */
  @column({ consume: (value: unknown) => Boolean(value) })
  declare isSystem: boolean

  @column({
    prepare: (value: string[]) => JSON.stringify(value),
    consume: (value: string) => JSON.parse(value ?? '[]'),
  })
  declare permissions: string[]

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get effectivePermissions(): string[] {
    if (this.isSystem) return permissionRegistry.defaultsFor(this.key)
    return this.permissions.filter((key) => permissionRegistry.has(key)).sort()
  }
}
