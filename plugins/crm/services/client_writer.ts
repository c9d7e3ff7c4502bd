import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Infer } from '@vinejs/vine/types'
import { ApiError, audit, isTeamMember } from '#plinth'
import Client from '../models/client.js'
import ClientEmail from '../models/client_email.js'
import ClientPhone from '../models/client_phone.js'
import ClientAddress from '../models/client_address.js'
import Contact from '../models/contact.js'
import ClientTag from '../models/client_tag.js'
import type {
  createClientValidator,
  updateClientValidator,
} from '../validators/client_validator.js'
import { checkCustomFields } from './custom_fields.js'
import { clientWithAllLists } from './client_loader.js'
import { crmPlugin, crmSettings, type CrmSettings } from './crm_plugin.js'
import { normalizeTag, searchTextOf, toE164 } from './normalize.js'

export type CreateClientInput = Infer<(typeof createClientValidator)['schema']>
export type UpdateClientInput = Infer<(typeof updateClientValidator)['schema']>
type Lists = Pick<CreateClientInput, 'emails' | 'phones' | 'addresses' | 'contacts' | 'tags'>

/* Phones to E.164, duplicates dropped; a number that is not valid is a 422 naming it. */
export function normalizeLists(input: Lists, settings: CrmSettings, pointer = '/data/attributes') {
  const phoneError = (at: string, raw: string) =>
    new ApiError(
      422,
      'VALIDATION_ERROR',
      settings.defaultCountry || raw.trim().startsWith('+')
        ? `"${raw}" is not a valid phone number`
        : `"${raw}" is not a valid phone number: write it with its country code (+...) or set the CRM default country`,
      { pointer: at }
    )
  const phones = input.phones?.map((phone, index) => {
    const number = toE164(phone.number, settings.defaultCountry)
    if (!number) throw phoneError(`${pointer}/phones/${index}/number`, phone.number)
    return { ...phone, number }
  })
  const contacts = input.contacts?.map((contact, index) => {
    if (!contact.phone) return contact
    const phone = toE164(contact.phone, settings.defaultCountry)
    if (!phone) throw phoneError(`${pointer}/contacts/${index}/phone`, contact.phone)
    return { ...contact, phone }
  })
  const unique = <T>(items: T[] | undefined, key: (item: T) => string) =>
    items?.filter(
      (item, index, all) => all.findIndex((other) => key(other) === key(item)) === index
    )
  return {
    emails: unique(input.emails, (email) => email.email),
    phones: unique(phones, (phone) => phone.number),
    addresses: input.addresses,
    contacts,
    tags: unique(input.tags?.map(normalizeTag), (tag) => tag),
  }
}

/* The owner must be a member of the tenant's team. */
async function checkOwner(ownerId: number | null | undefined, trx: TransactionClientContract) {
  if (ownerId === undefined || ownerId === null) return
  if (!(await isTeamMember(ownerId, trx))) {
    throw new ApiError(422, 'VALIDATION_ERROR', 'The owner must be a member of the team', {
      pointer: '/data/attributes/ownerId',
    })
  }
}

async function replaceLists(
  client: Client,
  lists: ReturnType<typeof normalizeLists>,
  trx: TransactionClientContract,
  created = false
) {
  const options = { client: trx }
  const base = { clientId: client.id, tenantId: client.tenantId }
  // a client just created has no lists to delete (saves a query per list on imports)
  const clear = async (query: { delete(): Promise<unknown> }) => {
    if (!created) await query.delete()
  }
  if (lists.emails) {
    await clear(ClientEmail.query(options).where('client_id', client.id))
    await ClientEmail.createMany(
      lists.emails.map((email, position) => ({
        ...base,
        email: email.email,
        label: email.label ?? null,
        position,
      })),
      options
    )
  }
  if (lists.phones) {
    await clear(ClientPhone.query(options).where('client_id', client.id))
    await ClientPhone.createMany(
      lists.phones.map((phone, position) => ({
        ...base,
        number: phone.number,
        label: phone.label ?? null,
        position,
      })),
      options
    )
  }
  if (lists.addresses) {
    await clear(ClientAddress.query(options).where('client_id', client.id))
    await ClientAddress.createMany(
      lists.addresses.map((address, position) => ({
        ...base,
        label: address.label ?? null,
        line1: address.line1,
        line2: address.line2 ?? null,
        city: address.city ?? null,
        region: address.region ?? null,
        postalCode: address.postalCode ?? null,
        country: address.country ?? null,
        position,
      })),
      options
    )
  }
  if (lists.contacts) {
    await clear(Contact.query(options).where('client_id', client.id))
    await Contact.createMany(
      lists.contacts.map((contact, position) => ({
        ...base,
        name: contact.name,
        role: contact.role ?? null,
        email: contact.email ?? null,
        phone: contact.phone ?? null,
        position,
      })),
      options
    )
  }
  if (lists.tags) {
    await clear(ClientTag.query(options).where('client_id', client.id))
    await ClientTag.createMany(
      lists.tags.map((tag) => ({ ...base, tag })),
      options
    )
  }
}

/* Loads a client of the current tenant with everything attached (404 for anyone else's). */
export async function loadClient(id: number, trx?: TransactionClientContract) {
  // outside a transaction the client and its lists are read together (see clientWithAllLists)
  if (!trx) return clientWithAllLists(id)
  return Client.query({ client: trx })
    .where('id', id)
    .preload('emails', (query) => query.orderBy('position'))
    .preload('phones', (query) => query.orderBy('position'))
    .preload('addresses', (query) => query.orderBy('position'))
    .preload('contacts', (query) => query.orderBy('position'))
    .preload('tags', (query) => query.orderBy('tag'))
    .firstOrFail()
}

async function refreshSearchText(client: Client, trx: TransactionClientContract) {
  const full = await loadClient(client.id, trx)
  client.searchText = searchTextOf({
    name: client.name,
    companyName: client.companyName,
    emails: full.emails.map((email) => email.email),
    phones: full.phones.map((phone) => phone.number),
    contacts: full.contacts.map((contact) => contact.name),
  })
  await client.useTransaction(trx).save()
}

function publish(verb: string, client: Client, trx: TransactionClientContract, changes?: string[]) {
  return crmPlugin.context.use('events.publish').publish(
    {
      name: `crm.client.${verb}`,
      aggregate: { type: 'crm.client', id: client.id },
      payload: {
        clientId: client.id,
        kind: client.kind,
        status: client.status,
        ...(changes ? { changes } : {}),
      },
    },
    trx
  )
}

/* Creates a client with its lists; the audit entry and crm.client.created commit with it. */
export async function createClient(
  input: CreateClientInput,
  options: { trx?: TransactionClientContract; settings?: CrmSettings } = {}
) {
  const settings = options.settings ?? (await crmSettings())
  const lists = normalizeLists(input, settings)
  const customFields = input.customFields ?? {}
  checkCustomFields(customFields, settings.customFieldsSchema)
  const run = async (trx: TransactionClientContract) => {
    await checkOwner(input.ownerId, trx)
    const client = await Client.create(
      {
        kind: input.kind,
        name: input.name,
        companyName: input.companyName ?? null,
        status: input.status ?? 'active',
        ownerUserId: input.ownerId ?? null,
        customFields,
        searchText: searchTextOf({
          name: input.name,
          companyName: input.companyName ?? null,
          emails: lists.emails?.map((email) => email.email) ?? [],
          phones: lists.phones?.map((phone) => phone.number) ?? [],
          contacts: lists.contacts?.map((contact) => contact.name) ?? [],
        }),
      },
      { client: trx }
    )
    await replaceLists(client, lists, trx, true)
    await audit(
      { action: 'crm.client.created', subjectType: 'crm-client', subjectId: client.id },
      trx
    )
    await publish('created', client, trx)
    return client.id
  }
  const id = options.trx ? await run(options.trx) : await db.transaction(run)
  return id
}

/* Changes a client: fields given are set, lists given replace the client's. */
export async function updateClient(id: number, input: UpdateClientInput) {
  const settings = await crmSettings()
  const lists = normalizeLists(input, settings)
  if (input.customFields !== undefined)
    checkCustomFields(input.customFields, settings.customFieldsSchema)
  await db.transaction(async (trx) => {
    const client = await Client.query({ client: trx }).where('id', id).forUpdate().firstOrFail()
    if (client.erasedAt)
      throw ApiError.conflict('CLIENT_ERASED', 'This client was erased and cannot be changed')
    await checkOwner(input.ownerId, trx)
    const changes = Object.keys(input).filter(
      (key) => (input as Record<string, unknown>)[key] !== undefined
    )
    const wasArchived = client.status === 'archived'
    client.merge({
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.companyName !== undefined ? { companyName: input.companyName } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.ownerId !== undefined ? { ownerUserId: input.ownerId } : {}),
      ...(input.customFields !== undefined ? { customFields: input.customFields } : {}),
    })
    await client.useTransaction(trx).save()
    await replaceLists(client, lists, trx)
    await refreshSearchText(client, trx)
    await audit(
      {
        action: 'crm.client.updated',
        subjectType: 'crm-client',
        subjectId: client.id,
        meta: { changes },
      },
      trx
    )
    await publish('updated', client, trx, changes)
    if (!wasArchived && client.status === 'archived') {
      await audit(
        { action: 'crm.client.archived', subjectType: 'crm-client', subjectId: client.id },
        trx
      )
      await publish('archived', client, trx)
    }
  })
}
