import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { Secret } from '@adonisjs/core/helpers'
import type { LucidModel } from '@adonisjs/lucid/types/model'

/* last_used_at is a hint for humans; a minute of precision saves a write per request. */
const LAST_USED_PRECISION_MS = 60_000

/*
 * The stock database tokens provider, with one change: it checks the secret and
 * expiry before touching the row, and refreshes `last_used_at` at most once a
 * minute instead of writing on every authenticated request.
 */
export class AccessTokensProvider<Model extends LucidModel> extends DbAccessTokensProvider<Model> {
  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null

    const db = await this.getDb()
    const row = await db
      .query()
      .from(this.table)
      .where({ id: decoded.identifier, type: this.type })
      .first()
    if (!row) return null

    const token = this.dbRowToAccessToken(row)
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const lastUsed = token.lastUsedAt?.getTime() ?? 0
    if (Date.now() - lastUsed > LAST_USED_PRECISION_MS) {
      token.lastUsedAt = new Date()
      await db.from(this.table).where({ id: row.id }).update({ last_used_at: token.lastUsedAt })
    }
    return token
  }
}
