import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { audit } from '#audit/audit_log'

/* An opaque bearer token for one tenant. The clear value is shown once, here. */
export async function issueToken(
  user: User,
  tenantId: number,
  options: { name?: string; expiresInDays?: number } = {}
) {
  const token = await User.accessTokens.create(user, ['*'], {
    name: options.name ?? 'api',
    expiresIn: `${options.expiresInDays ?? 30} days`,
  })
  // the tokens provider knows nothing of tenants: bind the token to one here
  await db
    .from('auth_access_tokens')
    .where('id', Number(token.identifier))
    .update({ tenant_id: tenantId })
  await audit({
    action: 'auth.token.created',
    tenantId,
    actorUserId: user.id,
    subjectType: 'token',
    subjectId: String(token.identifier),
  })
  return {
    id: String(token.identifier),
    type: 'bearer',
    value: token.value!.release(),
    name: token.name,
    expiresAt: token.expiresAt?.toISOString() ?? null,
  }
}
