import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { ApiError } from '#plinth'

/*
 * Custom fields are JSON validated against the tenant's schema (the plugin
 * setting `customFieldsSchema`). Compiled validators are cached by schema text.
 */
const ajv = new Ajv({ allErrors: true, strict: false })
// ajv-formats is CommonJS: under NodeNext its default export may arrive as the module object
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (instance: Ajv) => Ajv
addFormats(ajv)
const compiled = new Map<string, ValidateFunction>()

function validatorFor(schema: Record<string, unknown>) {
  const key = JSON.stringify(schema)
  let validate = compiled.get(key)
  if (!validate) {
    try {
      validate = ajv.compile(schema)
    } catch (error) {
      throw new ApiError(
        409,
        'CUSTOM_FIELDS_SCHEMA_INVALID',
        `The tenant's custom field schema (CRM settings) is not a valid JSON Schema: ${(error as Error).message}`
      )
    }
    if (compiled.size > 200) compiled.clear()
    compiled.set(key, validate)
  }
  return validate
}

/* Throws a 422 naming the field when the custom fields fail the tenant's schema. */
export function checkCustomFields(
  fields: Record<string, unknown>,
  schema: Record<string, unknown> | undefined,
  pointer = '/data/attributes/customFields'
) {
  const effective = schema ?? { type: 'object' }
  const validate = validatorFor({ type: 'object', ...effective })
  if (validate(fields)) return
  const error = validate.errors![0]
  const missing = error.keyword === 'required' ? `/${error.params.missingProperty}` : ''
  throw new ApiError(
    422,
    'VALIDATION_ERROR',
    `customFields${error.instancePath}${missing ? missing : ''} ${error.message}`,
    {
      pointer: `${pointer}${error.instancePath}${missing}`,
    }
  )
}
