import db from '@adonisjs/lucid/services/db'
import { audit } from '#audit/audit_log'
import TenantPlugin from '#plugins/models/tenant_plugin'
import { prepareSettings } from '#plugins/plugin_settings'
import type { RegisteredPlugin } from '#plugins/registry'

/*
 * Saves a tenant's settings of a plugin: schema-checked (errors per field),
 * secrets encrypted, merged into what is stored, audited. The API and the
 * plugin manager page both save through here. Saving settings of a plugin
 * the tenant has never enabled keeps it disabled.
 */
export async function savePluginSettings(
  plugin: RegisteredPlugin,
  tenantId: number,
  values: Record<string, unknown>
): Promise<Record<string, unknown>> {
  return db.transaction(async (trx) => {
    const row =
      (await TenantPlugin.query({ client: trx })
        .where('plugin_id', plugin.id)
        .forUpdate()
        .first()) ?? new TenantPlugin()
    const next = prepareSettings(plugin.manifest, values, row.$isPersisted ? row.settings : {})
    row.useTransaction(trx)
    row.merge({ tenantId, pluginId: plugin.id, settings: next.stored })
    if (!row.$isPersisted) row.enabled = false
    await row.save()
    await audit(
      {
        action: 'plugin.settings.updated',
        tenantId,
        subjectType: 'plugin',
        subjectId: plugin.id,
        meta: { changed: next.changed },
      },
      trx
    )
    return row.settings
  })
}
