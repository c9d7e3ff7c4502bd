import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#plinth'
import ClientEmail from './client_email.js'
import ClientPhone from './client_phone.js'
import ClientAddress from './client_address.js'
import Contact from './contact.js'
import ClientTag from './client_tag.js'

export type ClientKind = 'company' | 'person'
export type ClientStatus = 'active' | 'archived'

const json = {
  prepare: (value: Record<string, unknown>) => JSON.stringify(value ?? {}),
  consume: (value: unknown) =>
    typeof value === 'string' ? JSON.parse(value) : ((value as Record<string, unknown>) ?? {}),
}

/* A client of the tenant: a company or a person. */
export default class Client extends TenantScopedModel {
  static table = 'crm_clients'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kind: ClientKind

  @column()
  declare name: string

  @column()
  declare companyName: string | null

  @column()
  declare status: ClientStatus

  @column()
  declare ownerUserId: number | null

  @column(json)
  declare customFields: Record<string, unknown>

  @column({ serializeAs: null })
  declare searchText: string

  @column.dateTime()
  declare erasedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => ClientEmail)
  declare emails: HasMany<typeof ClientEmail>

  @hasMany(() => ClientPhone)
  declare phones: HasMany<typeof ClientPhone>

  @hasMany(() => ClientAddress)
  declare addresses: HasMany<typeof ClientAddress>

  @hasMany(() => Contact)
  declare contacts: HasMany<typeof Contact>

  @hasMany(() => ClientTag)
  declare tags: HasMany<typeof ClientTag>
}
