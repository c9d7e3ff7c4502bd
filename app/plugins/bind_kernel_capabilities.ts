import { bindCapability } from '#plugins/capabilities'
import { outboundFetch } from '#plugins/outbound_fetch'

/* The capabilities the plugin system serves itself; other kernel modules bind theirs. */
bindCapability('http.outbound', (plugin) => {
  const hosts = (plugin.capabilities ?? []).flatMap((capability) =>
    typeof capability === 'object' && capability.name === 'http.outbound' ? capability.hosts : []
  )
  return outboundFetch(plugin.id, hosts)
})
