import db from '@adonisjs/lucid/services/db'
import { audit } from '#plinth'
import Client from '../models/client.js'
import Note from '../models/note.js'
import { createClient, type CreateClientInput } from './client_writer.js'

const COMPANIES = [
  ['Acme Facilities', 'acme.example', ['key-account', 'maintenance']],
  ['Brightside Dental', 'brightside.example', ['healthcare']],
  ['Copperleaf Cafe', 'copperleaf.example', ['hospitality']],
  ['Dunmore Logistics', 'dunmore.example', ['key-account']],
  ['Elm Street Offices', 'elmstreet.example', ['maintenance']],
  ['Fairway Golf Club', 'fairway.example', ['hospitality', 'seasonal']],
  ['Granite & Co Architects', 'granite.example', []],
  ['Harbour View Hotel', 'harbourview.example', ['hospitality', 'key-account']],
  ['Ironbridge School', 'ironbridge.example', ['education']],
  ['Juniper Yoga Studio', 'juniper.example', ['wellness']],
] as const

const PEOPLE = [
  ['Alice Martin', ['vip']],
  ['Ben Okafor', []],
  ['Chloe Dubois', ['vip']],
  ['Daniel Novak', []],
  ['Emma Schmidt', ['newsletter']],
  ['Farid Haddad', []],
  ['Grace Kim', ['newsletter']],
  ['Hugo Rossi', []],
  ['Isla Murphy', ['vip', 'newsletter']],
  ['Jonas Berg', []],
  ['Katarzyna Wojcik', []],
  ['Lucas Silva', ['newsletter']],
  ['Mia Jensen', []],
  ['Noah Fischer', []],
  ['Olga Petrova', ['vip']],
] as const

function slug(name: string) {
  return name.toLowerCase().replace(/[^a-z]+/g, '.')
}

/* UK numbers written with their country code, so no CRM default country is needed */
const phone = (index: number) => `+44 20 7946 ${String(1000 + index * 37).slice(-4)}`

/*
 * The CRM's demo data: ten companies (with a contact) and fifteen people, with
 * emails, phones and tags, and a note on the first company. Created through
 * createClient, like the API does. A tenant that already has clients is left alone.
 */
export async function seedCrmDemo() {
  if (await Client.query().first()) return
  const inputs: CreateClientInput[] = [
    ...COMPANIES.map(([name, domain, tags], index) => ({
      kind: 'company' as const,
      name,
      emails: [{ email: `office@${domain}`, label: 'work' }],
      phones: [{ number: phone(index), label: 'office' }],
      addresses: [{ line1: `${10 + index} High Street`, city: 'London', country: 'GB' }],
      contacts: [{ name: PEOPLE[index][0], role: 'Office manager', email: `manager@${domain}` }],
      tags: [...tags],
    })),
    ...PEOPLE.map(([name, tags], index) => ({
      kind: 'person' as const,
      name,
      emails: [{ email: `${slug(name)}@mail.example`, label: 'home' }],
      phones: index % 3 === 2 ? [] : [{ number: phone(20 + index), label: 'mobile' }],
      tags: [...tags],
    })),
  ]
  const ids: number[] = []
  for (const input of inputs) ids.push(await createClient(input))

  await db.transaction(async (trx) => {
    const note = await Note.create(
      {
        clientId: ids[0],
        body: 'Prefers visits before 9am; the side entrance code is at reception.',
        authorUserId: null,
      },
      { client: trx }
    )
    await audit(
      {
        action: 'crm.note.created',
        subjectType: 'crm-client',
        subjectId: ids[0],
        meta: { noteId: note.id },
      },
      trx
    )
  })
}
