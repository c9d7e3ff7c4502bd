import type User from '#models/user'

/* Who is acting, for which tenant, with which role: resolved once per request. */
export type Actor = {
  user: User
  tenant: { id: number; slug: string; name: string; requireTwoFactor: boolean }
  membershipId: number
  role: { id: number; key: string; name: string }
  permissions: ReadonlySet<string>
  /* the API token's id, when the request came with one */
  tokenId?: number
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    actor?: Actor
  }
}
