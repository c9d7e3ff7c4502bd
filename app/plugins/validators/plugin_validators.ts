import vine from '@vinejs/vine'

export const enablePluginValidator = vine.compile(
  vine.object({
    /* also switch on the plugins it requires that are off */
    withDependencies: vine.boolean().optional(),
  })
)

/* Documents the settings body: its fields are the plugin's JSON Schema, checked with ajv. */
export const pluginSettingsValidator = vine.compile(vine.object({}).allowUnknownProperties())
