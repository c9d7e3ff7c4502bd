import encryption from '@adonisjs/core/services/encryption'
import type { ValidateFunction } from 'ajv'
import { errors as vineErrors } from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import { createAjv } from '#plugins/ajv'
import { bindCapability } from '#plugins/capabilities'
import { tenantContext } from '#tenancy/tenant_context'
import { MissingTenantContextError } from '#tenancy/missing_tenant_context_error'
import type { PluginManifest, SettingsSchema } from '#plugins/types'

/* What a secret field reads as through the API. Sent back unchanged, it keeps the stored value. */
export const SECRET_MASK = '********'

const EMPTY_SCHEMA: SettingsSchema = { type: 'object', additionalProperties: false, properties: {} }
const ajv = createAjv()
const validators = new Map<string, ValidateFunction>()

export function settingsSchemaOf(plugin: PluginManifest): SettingsSchema {
  return plugin.settings ?? EMPTY_SCHEMA
}

/* Top-level properties marked `"secret": true`. */
export function secretKeysOf(plugin: PluginManifest): string[] {
  const properties = (settingsSchemaOf(plugin).properties ?? {}) as Record<string, any>
  return Object.keys(properties).filter((key) => properties[key]?.secret === true)
}

function validatorOf(plugin: PluginManifest) {
  let validate = validators.get(plugin.id)
  if (!validate) {
    validate = ajv.compile(settingsSchemaOf(plugin))
    validators.set(plugin.id, validate)
  }
  return validate
}

/* Stored form → plain values (secrets decrypted). */
export function decryptSettings(plugin: PluginManifest, stored: Record<string, unknown>) {
  const values = { ...stored }
  for (const key of secretKeysOf(plugin)) {
    if (typeof values[key] === 'string') values[key] = encryption.decrypt(values[key] as string)
  }
  return values
}

/* Stored form → what the API shows (secrets masked). */
export function maskSettings(plugin: PluginManifest, stored: Record<string, unknown>) {
  const values = { ...stored }
  for (const key of secretKeysOf(plugin)) if (key in values) values[key] = SECRET_MASK
  return values
}

/*
 * A settings write: secrets omitted or sent masked keep their stored value,
 * the result is validated against the plugin's schema (422 with a pointer per
 * problem), and the stored form has every secret encrypted.
 */
export function prepareSettings(
  plugin: PluginManifest,
  input: Record<string, unknown>,
  stored: Record<string, unknown>
) {
  const current = decryptSettings(plugin, stored)
  const values = { ...input }
  for (const key of secretKeysOf(plugin)) {
    if (!(key in values) || values[key] === SECRET_MASK) {
      if (key in current) values[key] = current[key]
      else delete values[key]
    } else if (values[key] === null) {
      delete values[key]
    }
  }
  const validate = validatorOf(plugin)
  if (!validate(values)) {
    throw new vineErrors.E_VALIDATION_ERROR(
      (validate.errors ?? []).map((error) => {
        const params = error.params as Record<string, string>
        const path = error.instancePath.split('/').filter(Boolean)
        if (error.keyword === 'required') path.push(params.missingProperty)
        if (error.keyword === 'additionalProperties') path.push(params.additionalProperty)
        const message =
          error.keyword === 'additionalProperties'
            ? `"${params.additionalProperty}" is not a setting of this plugin`
            : `${path.join('.') || 'settings'} ${error.message}`
        return { field: path.join('.'), message, rule: error.keyword }
      })
    )
  }
  const storedNext: Record<string, unknown> = { ...values }
  for (const key of secretKeysOf(plugin)) {
    if (key in storedNext) storedNext[key] = encryption.encrypt(storedNext[key])
  }
  const changed = [...new Set([...Object.keys(values), ...Object.keys(current)])].filter(
    (key) => JSON.stringify(values[key]) !== JSON.stringify(current[key])
  )
  return { stored: storedNext, changed }
}

/* settings.read: the current tenant's settings, secrets in clear, for the plugin's own code. */
bindCapability('settings.read', (plugin) => ({
  async get(options = {}) {
    const tenantId = tenantContext.tenantId
    if (tenantId === null) throw new MissingTenantContextError(`${plugin.id} settings`)
    // inside a caller's transaction, read through it (SQLite has one connection)
    const row = await (options.trx ?? db)
      .from('tenant_plugins')
      .where({ tenant_id: tenantId, plugin_id: plugin.id })
      .select('settings')
      .first()
    return decryptSettings(plugin, row ? JSON.parse(row.settings ?? '{}') : {})
  },
}))
