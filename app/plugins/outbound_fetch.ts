import type { OutboundFetch } from '#plugins/types'

export class OutboundHostNotAllowedError extends Error {
  constructor(
    readonly plugin: string,
    readonly url: string
  ) {
    super(
      `Plugin "${plugin}" may not call ${url}: its host is not in the manifest's http.outbound hosts`
    )
    this.name = 'OutboundHostNotAllowedError'
  }
}

const MAX_REDIRECTS = 5

function hostAllowed(url: URL, hosts: string[]) {
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname
  return hosts.some((allowed) => {
    if (allowed.startsWith('*.')) {
      const suffix = allowed.slice(1)
      return url.hostname.endsWith(suffix) && url.hostname.length > suffix.length
    }
    return allowed === host || (!allowed.includes(':') && allowed === url.hostname)
  })
}

/*
 * fetch for one plugin: http(s) to the declared hosts only, redirects followed
 * by hand so a redirect cannot leave the allowed hosts either.
 */
export function outboundFetch(pluginId: string, hosts: string[]): OutboundFetch {
  const check = (target: URL) => {
    if (!['http:', 'https:'].includes(target.protocol) || !hostAllowed(target, hosts)) {
      throw new OutboundHostNotAllowedError(pluginId, target.href)
    }
  }
  return async (input, init = {}) => {
    let target = new URL(String(input))
    for (let hop = 0; ; hop++) {
      check(target)
      const response = await fetch(target, { ...init, redirect: 'manual' })
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || !location) return response
      if (hop >= MAX_REDIRECTS) throw new Error(`Too many redirects from ${String(input)}`)
      target = new URL(location, target)
      if (response.status === 303) init = { ...init, method: 'GET', body: undefined }
    }
  }
}
