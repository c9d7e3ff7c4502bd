import { permissionRegistry } from '#rbac/permission_registry'

/* The plugin manager's permissions (kernel: they gate the kernel's /api/v1/plugins). */
if (!permissionRegistry.has('plugins.read')) {
  permissionRegistry.register('kernel', [
    {
      key: 'plugins.read',
      description: 'See the plugin catalog and settings',
      roles: ['admin', 'manager'],
    },
    {
      key: 'plugins.manage',
      description: 'Enable, disable and configure plugins',
      roles: ['admin'],
    },
  ])
}
