import { test } from '@japa/runner'
import { permissionRegistry } from '#rbac/permission_registry'

test.group('Permission registry', () => {
  test('owners hold every permission; other built-in roles only their defaults', ({ assert }) => {
    const all = permissionRegistry.all().map((p) => p.key)
    assert.deepEqual(permissionRegistry.defaultsFor('owner'), all)
    assert.include(permissionRegistry.defaultsFor('admin'), 'audit.read')
    assert.notInclude(permissionRegistry.defaultsFor('worker'), 'audit.read')
    assert.deepEqual(permissionRegistry.defaultsFor('no_such_role'), [])
  })

  test('a plugin adds permissions that built-in roles pick up at once', ({ assert }) => {
    permissionRegistry.register('unit-test-plugin', [
      { key: 'unittest.widgets.write', description: 'Write widgets', roles: ['manager'] },
    ])
    assert.isTrue(permissionRegistry.has('unittest.widgets.write'))
    assert.include(permissionRegistry.defaultsFor('manager'), 'unittest.widgets.write')
    assert.include(permissionRegistry.defaultsFor('owner'), 'unittest.widgets.write')
    assert.notInclude(permissionRegistry.defaultsFor('worker'), 'unittest.widgets.write')
  })

  test('malformed keys and keys claimed by another source are refused', ({ assert }) => {
    assert.throws(
      () => permissionRegistry.register('x', [{ key: 'NoDots', description: '', roles: [] }]),
      /dotted/
    )
    assert.throws(
      () =>
        permissionRegistry.register('another-plugin', [
          { key: 'members.read', description: '', roles: [] },
        ]),
      /already registered by kernel/
    )
  })
})
