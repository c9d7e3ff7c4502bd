import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import semver from 'semver'

/* ajv-formats is CommonJS: its default export arrives as the module object under NodeNext. */
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => Ajv

/*
 * The ajv instances of the plugin system: one for manifests (functions
 * allowed where the manifest holds code), one for settings schemas (the
 * `secret` keyword marks a field encrypted at rest).
 */
export function createAjv() {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })
  addFormats(ajv)
  ajv.addFormat('semver', { type: 'string', validate: (value) => semver.valid(value) !== null })
  ajv.addFormat('semver-range', {
    type: 'string',
    validate: (value) => semver.validRange(value) !== null,
  })
  ajv.addKeyword({
    keyword: 'isFunction',
    schemaType: 'boolean',
    errors: true,
    validate: function isFunction(schema: boolean, data: unknown) {
      const ok = !schema || typeof data === 'function'
      if (!ok)
        (isFunction as any).errors = [
          { keyword: 'isFunction', message: 'must be a function', params: {} },
        ]
      return ok
    },
  })
  /* settings: a field whose value is encrypted at rest and masked on read */
  ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' })
  return ajv
}
