import { test } from '@japa/runner'
import {
  buildRegistry,
  PluginBootError,
  topologicalOrder,
  type PluginSource,
} from '#plugins/registry'

const source = (
  id: string,
  options: {
    version?: string
    requires?: Record<string, string>
    kernel?: string
    file?: string
  } = {}
): PluginSource => ({
  manifest: {
    id,
    name: id,
    version: options.version ?? '1.0.0',
    requires: { kernel: options.kernel ?? '^1.0.0', plugins: options.requires ?? {} },
  },
  source: options.file ?? `plugins/${id}/plugin.ts`,
  root: `/tmp/${id}`,
  origin: 'extra',
})

function bootError(sources: PluginSource[], kernel?: string) {
  try {
    buildRegistry(sources, kernel)
  } catch (error) {
    if (error instanceof PluginBootError) return error
    throw error
  }
  throw new Error('expected boot to fail')
}

test.group('Plugin dependency graph', () => {
  test('plugins come in dependency order, ties by id', ({ assert }) => {
    const registry = buildRegistry([
      source('c', { requires: { b: '^1.0.0' } }),
      source('b', { requires: { a: '^1.0.0' } }),
      source('a'),
      source('z'),
      source('d', { requires: { a: '^1.0.0', c: '^1.0.0' } }),
    ])
    assert.deepEqual(
      registry.all().map((plugin) => plugin.id),
      ['a', 'b', 'c', 'd', 'z']
    )
    assert.deepEqual(
      registry.dependenciesOf('d').map((plugin) => plugin.id),
      ['a', 'b', 'c']
    )
    assert.deepEqual(
      registry.dependantsOf('b').map((plugin) => plugin.id),
      ['c', 'd']
    )
  })

  test('a cycle fails boot with the chain', ({ assert }) => {
    const error = bootError([
      source('a', { requires: { b: '*' } }),
      source('b', { requires: { a: '*' } }),
      source('ok'),
    ])
    assert.include(error.message, 'Dependency cycle: a → b → a')
    const long = bootError([
      source('x', { requires: { y: '*' } }),
      source('y', { requires: { z: '*' } }),
      source('z', { requires: { x: '*' } }),
    ])
    assert.include(long.message, 'x → y → z → x')
  })

  test('missing and incompatible dependencies and kernel ranges are named', ({ assert }) => {
    const error = bootError(
      [
        source('crm', { version: '1.4.0' }),
        source('salon', { requires: { crm: '^2.0.0' } }),
        source('shop', { requires: { billing: '^1.0.0' } }),
        source('future', { kernel: '^2.0.0' }),
      ],
      '1.0.0'
    )
    assert.include(error.message, 'Plugin "salon" requires "crm" ^2.0.0, but "crm" is 1.4.0')
    assert.include(
      error.message,
      'Plugin "shop" requires plugin "billing" (^1.0.0), which is not installed'
    )
    assert.include(error.message, 'Plugin "future" requires kernel ^2.0.0, but the kernel is 1.0.0')
  })

  test('an id declared twice names both sources', ({ assert }) => {
    const error = bootError([
      source('notes'),
      source('notes', { file: 'node_modules/notes/index.js' }),
    ])
    assert.include(
      error.message,
      'Plugin id "notes" is declared twice: by plugins/notes/plugin.ts and by node_modules/notes/index.js'
    )
  })

  test('topological order handles a diamond once per node', ({ assert }) => {
    const { ids, cycles } = topologicalOrder(
      new Map([
        ['top', ['left', 'right']],
        ['left', ['base']],
        ['right', ['base']],
        ['base', []],
      ])
    )
    assert.deepEqual(ids, ['base', 'left', 'right', 'top'])
    assert.deepEqual(cycles, [])
  })

  test('a page or nav permission must be granted by the kernel, the plugin or a dependency', ({
    assert,
  }) => {
    const withNav = (id: string, permission: string, requires: Record<string, string> = {}) => ({
      ...source(id, { requires }),
      manifest: {
        ...(source(id, { requires }).manifest as object),
        permissions: [{ key: `${id}.read`, description: 'Read' }],
        nav: [{ label: 'Home', path: '/', permission }],
      },
    })
    const ok = buildRegistry([
      withNav('base', 'base.read'),
      withNav('child', 'base.read', { base: '^1.0.0' }),
      withNav('kernelish', 'members.read'),
    ])
    assert.lengthOf(ok.all(), 3)
    const error = bootError([withNav('base', 'base.read'), withNav('loner', 'base.read')])
    assert.include(
      error.message,
      'Plugin "loner" (plugins/loner/plugin.ts): /nav/0/permission "base.read" is not a permission'
    )
  })
})
