import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { definePlugin, KERNEL_VERSION } from '#plinth'
import { PluginManifestError, validateManifest } from '#plugins/validate_manifest'

const valid = () => ({
  id: 'sample',
  name: 'Sample',
  version: '1.0.0',
  requires: { kernel: '^1.0.0' },
  permissions: [{ key: 'sample.read', description: 'Read', roles: ['admin' as const] }],
  capabilities: ['settings.read' as const],
  jobs: [{ name: 'sample.work', handle() {} }],
  schedules: [{ key: 'sample.nightly', cron: '0 3 * * *', job: 'sample.work' }],
  demo: async () => {},
})

function problems(manifest: unknown) {
  try {
    validateManifest(manifest, 'fixture.ts')
  } catch (error) {
    if (error instanceof PluginManifestError) return error
    throw error
  }
  throw new Error('expected the manifest to be refused')
}

test.group('Plugin manifest validation', () => {
  test('a valid manifest passes and definePlugin brands it', ({ assert }) => {
    const plugin = definePlugin(valid())
    assert.equal(validateManifest(plugin, 'fixture.ts').id, 'sample')
    assert.isTrue(Object.isFrozen(plugin))
  })

  test('KERNEL_VERSION is the package version', ({ assert }) => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
    assert.equal(KERNEL_VERSION, pkg.version)
  })

  test('each mistake names the plugin, the source and the JSON pointer of the field', ({
    assert,
  }) => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ version: 'one' }, '/version', /format "semver"/],
      [{ id: 'Bad_Id' }, '/id', /pattern/],
      [{ id: 'roles' }, '/id', /reserved/],
      [{ id: 'security' }, '/id', /reserved/],
      [{ id: 'webhook-deliveries' }, '/id', /reserved/],
      [{ name: undefined }, '/name', /required/],
      [{ colour: 'red' }, '/colour', /unknown field/],
      [{ requires: { kernel: 'not a range' } }, '/requires/kernel', /semver-range/],
      [{ requires: { plugins: { other: '>>1' } } }, '/requires/plugins/other', /semver-range/],
      [{ capabilities: ['telepathy'] }, '/capabilities/0', /capability the kernel knows/],
      [{ capabilities: ['http.outbound'] }, '/capabilities/0', /hosts/],
      [
        { permissions: [{ key: 'crm.read', description: 'x', roles: ['admin'] }] },
        '/permissions/0/key',
        /must start with "sample\."/,
      ],
      [
        { permissions: [{ key: 'sample.read', description: 'x', roles: ['owner'] }] },
        '/permissions/0/roles/0',
        /allowed values/,
      ],
      [{ routes: 'not a function' }, '/routes', /function/],
      [{ demo: { clients: 25 } }, '/demo', /function/],
      [{ jobs: [{ name: 'sample.work' }] }, '/jobs/0/handle', /required/],
      [
        { schedules: [{ key: 'sample.x', cron: '* * * * *', job: 'sample.none' }] },
        '/schedules/0/job',
        /names no job/,
      ],
      [{ settings: { type: 'array' } }, '/settings/type', /object/],
      [
        { settings: { type: 'object', properties: { a: { type: 'nope' } } } },
        '/settings',
        /valid JSON Schema/,
      ],
      [{ requires: { plugins: { sample: '^1.0.0' } } }, '/requires/plugins/sample', /itself/],
    ]
    for (const [patch, pointer, message] of cases) {
      const manifest: Record<string, unknown> = { ...valid(), ...patch }
      for (const key of Object.keys(patch)) if (patch[key] === undefined) delete manifest[key]
      const error = problems(manifest)
      assert.match(
        error.message,
        /^Plugin "(sample|Bad_Id|roles|security|webhook-deliveries)" \(fixture\.ts\)/
      )
      const problem = error.problems.find((item) => item.pointer === pointer)
      assert.exists(problem, `${pointer} in ${JSON.stringify(error.problems)}`)
      assert.match(problem!.message, message, pointer)
    }
  })

  test('every problem of a manifest is listed at once', ({ assert }) => {
    const error = problems({ ...valid(), version: 'x', capabilities: ['nope'], extra: 1 })
    assert.sameMembers(
      error.problems.map((problem) => problem.pointer),
      ['/version', '/capabilities/0', '/extra']
    )
  })
})
