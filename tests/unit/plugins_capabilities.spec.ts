import { test } from '@japa/runner'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  bindCapability,
  createPluginContext,
  UndeclaredCapabilityError,
} from '#plugins/capabilities'
import { OutboundHostNotAllowedError } from '#plugins/outbound_fetch'
import '#plugins/bind_kernel_capabilities'
import type { PluginManifest } from '#plugins/types'

const manifest = (capabilities: PluginManifest['capabilities']): PluginManifest => ({
  id: 'probe',
  name: 'Probe',
  version: '1.0.0',
  capabilities,
})

async function listen(handler: RequestListener) {
  const server: Server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

test.group('Plugin capabilities', () => {
  test('an undeclared capability throws naming the plugin and the capability', ({ assert }) => {
    const context = createPluginContext(manifest(['settings.read']))
    assert.throws(() => context.use('jobs.dispatch'), UndeclaredCapabilityError)
    try {
      context.use('ledger.post')
    } catch (error) {
      assert.match((error as Error).message, /Plugin "probe".*"ledger\.post".*without declaring it/)
    }
    // the child container cannot reach an undeclared service either
    assert.isFalse(context.container.isRegistered('capability:ledger.post', true))
    assert.isTrue(context.container.isRegistered('capability:settings.read', true))
  })

  test('a declared capability resolves to the service the kernel bound, built once', ({
    assert,
  }) => {
    let built = 0
    const restore = bindCapability('ledger.post', (plugin) => {
      built++
      return { owner: plugin.id } as any
    })
    try {
      const context = createPluginContext(manifest(['ledger.post']))
      assert.deepEqual(context.use('ledger.post'), { owner: 'probe' })
      assert.strictEqual(context.use('ledger.post'), context.use('ledger.post'))
      assert.equal(built, 1)
    } finally {
      restore()
    }
  })

  test('contexts of two plugins are separate', ({ assert }) => {
    const first = createPluginContext(manifest(['settings.read']))
    first.container.register('own', { useValue: 'mine' })
    const second = createPluginContext({ ...manifest([]), id: 'other' })
    assert.isFalse(second.container.isRegistered('own', true))
    assert.throws(() => second.use('settings.read'), /Plugin "other"/)
  })

  test('http.outbound reaches declared hosts only, redirects included', async ({ assert }) => {
    const { server, port } = await listen((request, response) => {
      if (request.url === '/away') {
        response.writeHead(302, { location: 'http://localhost:9/elsewhere' }).end()
      } else {
        response.end('hello')
      }
    })
    try {
      const context = createPluginContext(
        manifest([{ name: 'http.outbound', hosts: ['127.0.0.1'] }])
      )
      const outbound = context.use('http.outbound')
      const ok = await outbound(`http://127.0.0.1:${port}/`)
      assert.equal(await ok.text(), 'hello')
      await assert.rejects(() => outbound(`http://localhost:${port}/`), OutboundHostNotAllowedError)
      await assert.rejects(
        () => outbound(`http://127.0.0.1:${port}/away`),
        /may not call http:\/\/localhost:9/
      )
      await assert.rejects(() => outbound('file:///etc/passwd'), OutboundHostNotAllowedError)
    } finally {
      server.close()
    }
  })
})
