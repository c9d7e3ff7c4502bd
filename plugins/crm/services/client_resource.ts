import { resource } from '#plinth'
import type Client from '../models/client.js'

/* A client with its lists, as the API shows it (lists only when preloaded). */
export function clientAttributes(client: Client) {
  const loaded = (name: string) => client.$preloaded[name] !== undefined
  return {
    kind: client.kind,
    name: client.name,
    companyName: client.companyName,
    status: client.status,
    ownerId: client.ownerUserId,
    customFields: client.customFields,
    ...(loaded('emails')
      ? { emails: client.emails.map((e) => ({ email: e.email, label: e.label })) }
      : {}),
    ...(loaded('phones')
      ? { phones: client.phones.map((p) => ({ number: p.number, label: p.label })) }
      : {}),
    ...(loaded('addresses')
      ? {
          addresses: client.addresses.map((a) => ({
            label: a.label,
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postalCode: a.postalCode,
            country: a.country,
          })),
        }
      : {}),
    ...(loaded('contacts')
      ? {
          contacts: client.contacts.map((c) => ({
            name: c.name,
            role: c.role,
            email: c.email,
            phone: c.phone,
          })),
        }
      : {}),
    ...(loaded('tags') ? { tags: client.tags.map((t) => t.tag) } : {}),
    erasedAt: client.erasedAt?.toISO() ?? null,
    createdAt: client.createdAt.toISO(),
    updatedAt: client.updatedAt.toISO(),
  }
}

export const clientResource = (client: Client) =>
  resource('crm-client', client.id, clientAttributes(client))
