import { Bouncer } from '@adonisjs/bouncer'
import type { Actor } from '#tenancy/actor'

/* The one RBAC check: does the actor's role in this tenant hold the permission? */
export const hasPermission = Bouncer.ability((actor: Actor, permission: string) => {
  return actor.permissions.has(permission)
})
