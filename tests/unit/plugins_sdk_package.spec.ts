import { test } from '@japa/runner'
import * as kernelSdk from '#plinth'
import * as packageSdk from '@plinth/sdk'

test.group('@plinth/sdk', () => {
  test('the package npm plugins import is the kernel SDK itself, not a copy', ({ assert }) => {
    assert.strictEqual(packageSdk.TenantScopedModel, kernelSdk.TenantScopedModel)
    assert.strictEqual(packageSdk.definePlugin, kernelSdk.definePlugin)
    assert.strictEqual(packageSdk.tenantContext, kernelSdk.tenantContext)
    assert.equal(packageSdk.KERNEL_VERSION, kernelSdk.KERNEL_VERSION)
  })
})
