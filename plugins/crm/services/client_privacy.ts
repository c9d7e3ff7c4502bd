import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { ApiError, audit, tenantContext } from '#plinth'
import { crmExtensions, type CrmContribution, type TimelineEntry } from '../public.js'
import Client from '../models/client.js'
import ClientEmail from '../models/client_email.js'
import ClientPhone from '../models/client_phone.js'
import ClientAddress from '../models/client_address.js'
import Contact from '../models/contact.js'
import ClientTag from '../models/client_tag.js'
import Note from '../models/note.js'
import { loadClient } from './client_writer.js'
import { clientAttributes } from './client_resource.js'
import { crmPlugin } from './crm_plugin.js'

const tenantOf = () => {
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new Error('CRM privacy needs a tenant in context')
  return tenantId
}

/* The CRM's own contribution: the client, its lists, notes and timeline. */
export function registerCrmContribution() {
  crmExtensions.register(crmContribution)
}

const crmContribution: CrmContribution = {
  pluginId: 'crm',
  async export(clientId) {
    const client = await loadClient(clientId)
    const notes = await Note.query().where('client_id', clientId).orderBy('id')
    return {
      client: clientAttributes(client),
      notes: notes.map((note) => ({
        body: note.body,
        authorUserId: note.authorUserId,
        createdAt: note.createdAt.toISO(),
      })),
    }
  },
  async erase(clientId, trx) {
    const options = { client: trx }
    await ClientEmail.query(options).where('client_id', clientId).delete()
    await ClientPhone.query(options).where('client_id', clientId).delete()
    await ClientAddress.query(options).where('client_id', clientId).delete()
    await Contact.query(options).where('client_id', clientId).delete()
    await ClientTag.query(options).where('client_id', clientId).delete()
    await Note.query(options).where('client_id', clientId).update({ body: '[erased]' })
  },
  async timeline(clientId) {
    const client = await Client.findOrFail(clientId)
    const notes = await Note.query().where('client_id', clientId).orderBy('id', 'desc').limit(200)
    const entries: TimelineEntry[] = [
      { at: client.createdAt.toISO()!, type: 'crm.client.created', title: 'Client created' },
      ...notes.map((note) => ({
        at: note.createdAt.toISO()!,
        type: 'crm.note',
        title: 'Note',
        detail: note.body,
      })),
    ]
    if (client.erasedAt)
      entries.push({
        at: client.erasedAt.toISO()!,
        type: 'crm.client.erased',
        title: 'Personal data erased',
      })
    return entries
  },
}
registerCrmContribution()

/* Everything Plinth and the tenant's enabled plugins hold about the client. */
export async function exportClient(clientId: number) {
  await Client.findOrFail(clientId)
  const plugins: Record<string, unknown> = {}
  for (const contribution of await crmExtensions.enabledFor(tenantOf())) {
    if (contribution.export) plugins[contribution.pluginId] = await contribution.export(clientId)
  }
  await audit({ action: 'crm.client.exported', subjectType: 'crm-client', subjectId: clientId })
  return { clientId, exportedAt: new Date().toISOString(), plugins }
}

/*
 * Anonymises the client everywhere in one transaction: the CRM's rows and
 * every enabled plugin's contribution; amounts stay (plugins keep ledger
 * figures, only names and contact data go). Audited, crm.client.erased.
 */
export async function eraseClient(clientId: number) {
  await db.transaction(async (trx) => {
    const client = await Client.query({ client: trx })
      .where('id', clientId)
      .forUpdate()
      .firstOrFail()
    if (client.erasedAt) throw ApiError.conflict('CLIENT_ERASED', 'This client was already erased')
    for (const contribution of await crmExtensions.enabledFor(tenantOf())) {
      await contribution.erase?.(clientId, trx)
    }
    client.merge({
      name: `Erased client ${client.id}`,
      companyName: null,
      customFields: {},
      searchText: '',
      status: 'archived',
      erasedAt: DateTime.now(),
    })
    await client.useTransaction(trx).save()
    await audit(
      { action: 'crm.client.erased', subjectType: 'crm-client', subjectId: clientId },
      trx
    )
    await crmPlugin.context.use('events.publish').publish(
      {
        name: 'crm.client.erased',
        aggregate: { type: 'crm.client', id: clientId },
        payload: { clientId, kind: client.kind, status: client.status },
      },
      trx
    )
  })
}

/* The client's timeline: entries from every enabled plugin, newest first. */
export async function clientTimeline(clientId: number) {
  await Client.findOrFail(clientId)
  const entries: (TimelineEntry & { source: string })[] = []
  for (const contribution of await crmExtensions.enabledFor(tenantOf())) {
    if (!contribution.timeline) continue
    for (const entry of await contribution.timeline(clientId))
      entries.push({ ...entry, source: contribution.pluginId })
  }
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
}
