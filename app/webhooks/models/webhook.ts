import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#tenancy/tenant_scoped_model'
import WebhookDelivery from '#webhooks/models/webhook_delivery'

/* A tenant's HTTP endpoint subscribed to event-name patterns. */
export default class Webhook extends TenantScopedModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare url: string

  @column()
  declare description: string | null

  @column({
    prepare: (value: string[]) => JSON.stringify(value),
    consume: (value: string) => JSON.parse(value ?? '[]'),
  })
  declare events: string[]

  /* encrypted with the app key (see #webhooks/secrets) */
  @column({ serializeAs: null })
  declare secret: string

  @column()
  declare secretHint: string

  /* SQLite hands booleans back as 0/1 */
  @column({ consume: (value: unknown) => Boolean(value) })
  declare active: boolean

  @hasMany(() => WebhookDelivery)
  declare deliveries: HasMany<typeof WebhookDelivery>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
