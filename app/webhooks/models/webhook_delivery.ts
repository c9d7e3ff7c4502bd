import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { TenantScopedModel } from '#tenancy/tenant_scoped_model'
import WebhookDeliveryAttempt from '#webhooks/models/webhook_delivery_attempt'

const epoch = {
  consume: (value: unknown) => (value === null || value === undefined ? null : Number(value)),
}

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'dead'

/* One event on its way to one webhook, with its retry state. */
export default class WebhookDelivery extends TenantScopedModel {
  @column({ isPrimary: true, consume: Number })
  declare id: number

  @column()
  declare webhookId: number

  @column()
  declare eventId: string

  @column()
  declare eventName: string

  @column()
  declare body: string

  @column()
  declare status: DeliveryStatus

  @column()
  declare attempts: number

  /* epoch ms */
  @column(epoch)
  declare nextAttemptAt: number | null

  @column()
  declare responseCode: number | null

  @column()
  declare durationMs: number | null

  @column()
  declare error: string | null

  @column(epoch)
  declare deliveredAt: number | null

  @column(epoch)
  declare deadLetteredAt: number | null

  @hasMany(() => WebhookDeliveryAttempt, { foreignKey: 'deliveryId' })
  declare attemptLog: HasMany<typeof WebhookDeliveryAttempt>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
