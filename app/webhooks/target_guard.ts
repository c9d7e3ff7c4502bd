import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import env from '#start/env'

/*
 * SSRF guard for webhook targets. Only http(s); and unless private targets are
 * allowed (tests, WEBHOOKS_ALLOW_PRIVATE_TARGETS=true), no loopback, private,
 * link-local, CGNAT, multicast, reserved, unspecified or IPv6 ULA address:
 * checked on literal IPs when the webhook is saved, and on every resolved
 * address at delivery time, where the connection then goes to the address that
 * was checked (no second DNS lookup for a rebinding attack to slip into).
 */
export const targetPolicy = {
  allowPrivate: env.get('WEBHOOKS_ALLOW_PRIVATE_TARGETS') ?? false,
}

const blocked = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6')
}

function mappedIpv4(address: string): string | null {
  const dotted = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)
  if (dotted) return dotted[1]
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
  if (!hex) return null
  const high = Number.parseInt(hex[1], 16)
  const low = Number.parseInt(hex[2], 16)
  return [high >> 8, high & 255, low >> 8, low & 255].join('.')
}

/* True for an address a webhook may reach from production. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return !blocked.check(address, 'ipv4')
  if (family === 6) {
    const v4 = mappedIpv4(address)
    if (v4) return !blocked.check(v4, 'ipv4')
    return !blocked.check(address, 'ipv6')
  }
  return false
}

export class TargetRefusedError extends Error {}

function hostOf(url: URL) {
  return url.hostname.replace(/^\[|\]$/g, '')
}

/*
 * Why a URL cannot be a webhook target, or null when it can (as far as can be
 * told without DNS: literal addresses and localhost names are judged here).
 */
export function urlProblem(raw: string, allowPrivate = targetPolicy.allowPrivate): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'The URL is not a valid absolute URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'The URL must use http:// or https://'
  }
  if (url.username || url.password) return 'The URL must not contain credentials'
  const host = hostOf(url)
  if (!host) return 'The URL has no host'
  if (allowPrivate) return null
  if (isIP(host)) {
    return isPublicAddress(host)
      ? null
      : `The address ${host} is private, loopback or reserved; webhooks only reach public addresses`
  }
  if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) {
    return `The host "${host}" is not a public host name`
  }
  return null
}

/*
 * Resolves the URL's host and returns the address to connect to; refuses when
 * any resolved address is not public (a host that also points inward is not a
 * safe target) unless private targets are allowed.
 */
export async function vetTarget(
  raw: string,
  allowPrivate = targetPolicy.allowPrivate
): Promise<{ url: URL; address: string; family: 4 | 6 }> {
  const problem = urlProblem(raw, allowPrivate)
  if (problem) throw new TargetRefusedError(problem)
  const url = new URL(raw)
  const host = hostOf(url)
  const literal = isIP(host)
  const addresses = literal
    ? [{ address: host, family: literal }]
    : await lookup(host, { all: true, verbatim: true }).catch((error) => {
        throw new TargetRefusedError(`Cannot resolve ${host}: ${error.code ?? error.message}`)
      })
  if (addresses.length === 0) throw new TargetRefusedError(`Cannot resolve ${host}`)
  if (!allowPrivate) {
    const inward = addresses.find((entry) => !isPublicAddress(entry.address))
    if (inward) {
      throw new TargetRefusedError(
        `${host} resolves to ${inward.address}, a private, loopback or reserved address`
      )
    }
  }
  return { url, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 }
}
