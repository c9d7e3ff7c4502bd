import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { Secret } from '@adonisjs/core/helpers'
import type { LucidModel } from '@adonisjs/lucid/types/model'

/* last_used_at is a hint for humans; a minute of precision saves a write per request. */
const LAST_USED_PRECISION_MS = 60_000

/*
 * The stock database tokens provider, with two changes: it checks the secret
 * and expiry before touching the row and refreshes `last_used_at` at most once
 * a minute; and `verifyJoined` reads what the request needs (user, tenant,
 * role) in the same query as the token, so an authenticated API request costs
 * one read instead of three.
 */
export class AccessTokensProvider<Model extends LucidModel> extends DbAccessTokensProvider<Model> {
  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const result = await this.verifyJoined(tokenValue)
    return result?.token ?? null
  }

  /*
   * `fetchRow` reads the token row by id and type, with whatever the caller
   * joins to it (aliased so the token's own column names stay intact); the
   * default reads the token alone.
   */
  async verifyJoined<Extra extends Record<string, any>>(
    tokenValue: Secret<string>,
    fetchRow?: (identifier: string, type: string) => Promise<Record<string, any> | null>
  ): Promise<{ token: AccessToken; row: Extra } | null> {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    // ids are integers: anything else is not ours (and must not reach an int column as text)
    if (!decoded || !/^[0-9]{1,15}$/.test(decoded.identifier)) return null

    const db = await this.getDb()
    const row = fetchRow
      ? await fetchRow(decoded.identifier, this.type)
      : await db.query().from(this.table).where({ id: decoded.identifier, type: this.type }).first()
    if (!row) return null

    const token = this.dbRowToAccessToken(row)
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const lastUsed = token.lastUsedAt?.getTime() ?? 0
    if (Date.now() - lastUsed > LAST_USED_PRECISION_MS) {
      token.lastUsedAt = new Date()
      await db.from(this.table).where({ id: row.id }).update({ last_used_at: token.lastUsedAt })
    }
    return { token, row: row as Extra }
  }
}
