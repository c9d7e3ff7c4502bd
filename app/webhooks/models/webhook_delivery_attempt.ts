import { column } from '@adonisjs/lucid/orm'
import { TenantScopedModel } from '#tenancy/tenant_scoped_model'

/* One HTTP attempt of a delivery: what came back and how long it took. */
export default class WebhookDeliveryAttempt extends TenantScopedModel {
  @column({ isPrimary: true, consume: Number })
  declare id: number

  @column({ consume: Number })
  declare deliveryId: number

  @column()
  declare attempt: number

  @column()
  declare status: 'succeeded' | 'failed'

  @column()
  declare responseCode: number | null

  @column()
  declare durationMs: number

  @column()
  declare error: string | null

  /* epoch ms */
  @column({ consume: Number })
  declare attemptedAt: number
}
