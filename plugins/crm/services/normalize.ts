import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'

/* "+14155550123" for a valid number, else null. A number without "+" needs the tenant's default country. */
export function toE164(raw: string, defaultCountry?: string | null): string | null {
  const trimmed = raw.trim()
  if (!trimmed || trimmed.length > 40) return null
  const parsed = parsePhoneNumberFromString(
    trimmed,
    (defaultCountry || undefined) as CountryCode | undefined
  )
  return parsed && parsed.isValid() ? parsed.number : null
}

export const normalizeEmail = (raw: string) => raw.trim().toLowerCase()

export const normalizeTag = (raw: string) => raw.trim().toLowerCase().replace(/\s+/g, ' ')

/*
 * What search reads for a client: lower-cased name, company, emails and phone
 * numbers (E.164 without "+", and the national digits, so "415 555" finds it).
 */
export function searchTextOf(client: {
  name: string
  companyName: string | null
  emails: string[]
  phones: string[]
  contacts?: string[]
}) {
  const parts = [client.name, client.companyName ?? '', ...(client.contacts ?? [])]
  // the address whole, its local part in words and its domain's name ("bluebird" of
  // bluebird.example), so "alice@exa", "alice" and "bluebird" find it; not the suffix
  // (".com"), which every address has
  for (const email of client.emails) {
    const [local, domain = ''] = email.split('@')
    parts.push(email, local.replace(/[.+_-]+/g, ' '), domain.split('.')[0])
  }
  for (const phone of client.phones) {
    const parsed = parsePhoneNumberFromString(phone)
    parts.push(phone.replace(/^\+/, ''))
    if (parsed) parts.push(String(parsed.nationalNumber))
  }
  return parts.filter(Boolean).join(' ').toLowerCase().normalize('NFKC').replace(/\s+/g, ' ').trim()
}
