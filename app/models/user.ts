import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { AccessTokensProvider } from '#auth/access_tokens_provider'
import Membership from '#models/membership'

const AuthFinder = withAuthFinder(() => hash.use('bcrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/* A person. Users are global; what they may do lives on their memberships. */
export default class User extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare email: string

  @column()
  declare fullName: string

  @column({ serializeAs: null })
  declare password: string

  /* invited by email and has not chosen a password yet */
  @column({ serializeAs: null, consume: (value: unknown) => Boolean(value) })
  declare invitationPending: boolean

  @column({ serializeAs: null })
  declare failedLoginCount: number

  @column.dateTime({ serializeAs: null })
  declare lockedUntil: DateTime | null

  @column({ serializeAs: null })
  declare totpSecret: string | null

  @column.dateTime({ serializeAs: null })
  declare totpEnabledAt: DateTime | null

  @column({ serializeAs: null })
  declare totpRecoveryCodes: string | null

  @hasMany(() => Membership)
  declare memberships: HasMany<typeof Membership>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get hasTwoFactor(): boolean {
    return this.totpEnabledAt !== null && this.totpEnabledAt !== undefined
  }

  static accessTokens = new AccessTokensProvider({
    tokenableModel: User,
    expiresIn: '30 days',
    prefix: 'plt_',
    table: 'auth_access_tokens',
    type: 'api_token',
    tokenSecretLength: 40,
  })
}
