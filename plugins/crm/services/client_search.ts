import db from '@adonisjs/lucid/services/db'
import { tenantContext } from '#plinth'

/*
 * Client search: names, company, contacts, emails and phones; prefix matches
 * ranked first, then typo-tolerant matches. Reads the indexes of migration
 * 0002 (FTS5 on SQLite, tsvector + pg_trgm on PostgreSQL), always filtered by
 * the current tenant. Word-prefix matches first; only when there are none,
 * typo-tolerant (trigram) matches. Answers ranked client ids, at most MAX_MATCHES.
 */
export const MAX_MATCHES = 500

/* typo-tolerant matches are looked for only when no word-prefix match exists */
const FUZZY_BELOW = 1

/* PostgreSQL: how close (pg_trgm word_similarity) a typo must be */
const PG_SIMILARITY = 0.4

export type SearchOptions = { status?: string[]; limit?: number }

const isPostgres = () => db.connection().dialect.name === 'postgres'

/* Lower-cased words (letters and digits), at most 8, each at most 40 characters. */
export function searchWords(search: string) {
  return search
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8)
    .map((word) => word.slice(0, 40))
}

/* "+1 (415) 555-01" → "141555501": a query that is a phone number (or part of one). */
function phoneDigits(search: string) {
  if (!/^[\d\s()+.\-/]+$/.test(search)) return null
  const digits = search.replace(/\D/g, '')
  return digits.length >= 3 ? digits.slice(0, 20) : null
}

function trigrams(word: string) {
  const grams: string[] = []
  for (let index = 0; index + 3 <= word.length; index++) grams.push(word.slice(index, index + 3))
  return grams
}

/* One typo away: the word with a letter left out, or two neighbours swapped (words of 4+ letters). */
export function typoVariants(word: string) {
  const variants = new Set<string>()
  if (word.length < 4) return []
  for (let index = 0; index < word.length; index++) {
    variants.add(word.slice(0, index) + word.slice(index + 1))
    if (index + 1 < word.length)
      variants.add(word.slice(0, index) + word[index + 1] + word[index] + word.slice(index + 2))
  }
  variants.delete(word)
  return [...variants]
}

function statusFilter(options: SearchOptions, column: string) {
  if (!options.status?.length) return { sql: '', bindings: [] as string[] }
  return {
    sql: ` AND ${column} IN (${options.status.map(() => '?').join(', ')})`,
    bindings: options.status,
  }
}

const phrase = (text: string) => `"${text.replaceAll('"', '""')}"`

/*
 * At most this many index matches (newest first) are read and ranked, so a
 * query matching most clients ("mar") costs about what a narrow one does.
 * When the cap is hit and other tenants' rows crowd this tenant's out, the
 * query runs again without the cap.
 */
const CANDIDATES = 1000

type Candidate = { id: number; name: string; company_name: string | null }

/*
 * Ranks matches for a CRM: a word starting the name first, then one inside
 * the name, then the company, then emails and phones; newest first on ties.
 */
export function rankCandidates(rows: Candidate[], words: string[]) {
  const score = (row: Candidate) => {
    const name = row.name.toLowerCase()
    const nameWords = name.split(/[^\p{L}\p{N}]+/u)
    const company = (row.company_name ?? '').toLowerCase()
    let total = 0
    for (const word of words) {
      if (name.startsWith(word)) total += 4
      else if (nameWords.some((part) => part.startsWith(word))) total += 3
      else if (name.includes(word)) total += 2
      else if (company.includes(word)) total += 1
      else {
        // a typo: the share of the word's trigrams found in the name or company
        const grams = trigrams(word)
        const text = `${name} ${company}`
        if (grams.length) total += grams.filter((gram) => text.includes(gram)).length / grams.length
      }
    }
    return total
  }
  return rows
    .map((row) => ({ id: row.id, score: score(row) }))
    .sort((a, b) => b.score - a.score || b.id - a.id)
    .map((row) => row.id)
}

async function sqliteSearch(search: string, tenantId: number, options: SearchOptions) {
  const limit = options.limit ?? MAX_MATCHES
  const status = statusFilter(options, 'c.status')
  const candidates = async (table: string, match: string, cap: number | null) => {
    const rows = await db.rawQuery(
      `SELECT f.rowid AS rowid, c.id, c.name, c.company_name, c.tenant_id, c.status FROM (
         SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC
         ${cap === null ? '' : `LIMIT ${cap}`}
       ) f LEFT JOIN crm_clients c ON c.id = f.rowid`,
      [match]
    )
    return rows as (Candidate & { rowid: number; tenant_id: number | null; status: string })[]
  }
  const run = async (table: string, match: string, words: string[]) => {
    let rows = await candidates(table, match, CANDIDATES)
    const mine = (all: typeof rows) =>
      all.filter(
        (row) =>
          row.tenant_id === tenantId &&
          (!status.bindings.length || status.bindings.includes(row.status))
      )
    let own = mine(rows)
    if (rows.length === CANDIDATES && own.length < limit && own.length < rows.length) {
      rows = await candidates(table, match, null)
      own = mine(rows)
    }
    return rankCandidates(own, words).slice(0, limit)
  }
  const digits = phoneDigits(search)
  if (digits) return run('crm_clients_trigram', phrase(digits), [])

  const words = searchWords(search)
  if (!words.length) return []
  const prefix = (word: string) => `${phrase(word)}*`
  const ids = await run('crm_clients_fts', words.map(prefix).join(' AND '), words)
  if (ids.length >= FUZZY_BELOW) return ids

  // typos: each word, or a word one typo away (a letter too many, two letters swapped) ...
  const nearWords = words.map(
    (word) => `(${[word, ...typoVariants(word)].map(prefix).join(' OR ')})`
  )
  const near = await run('crm_clients_fts', nearWords.join(' AND '), words)
  if (near.length) return near
  // ... or sharing two trigrams of a word (a letter missing or mistyped)
  const pairs = words.flatMap((word) => {
    const grams = trigrams(word)
    if (grams.length < 2) return grams.map(phrase)
    return grams.slice(1).map((gram, index) => `(${phrase(grams[index])} AND ${phrase(gram)})`)
  })
  if (!pairs.length) return []
  return run('crm_clients_trigram', pairs.join(' OR '), words)
}

async function postgresSearch(search: string, tenantId: number, options: SearchOptions) {
  const limit = options.limit ?? MAX_MATCHES
  const status = statusFilter(options, 'status')
  const digits = phoneDigits(search)
  if (digits) {
    const result = await db.rawQuery(
      `SELECT id FROM crm_clients WHERE tenant_id = ?${status.sql} AND search_text LIKE ?
       ORDER BY id LIMIT ?`,
      [tenantId, ...status.bindings, `%${digits}%`, limit]
    )
    return result.rows.map((row: { id: number }) => row.id)
  }
  const words = searchWords(search)
  if (!words.length) return []
  const tsquery = words.map((word) => `${word}:*`).join(' & ')
  const prefix = await db.rawQuery(
    `SELECT id FROM crm_clients
     WHERE tenant_id = ?${status.sql} AND search_vector @@ to_tsquery('simple', ?)
     ORDER BY ts_rank(search_vector, to_tsquery('simple', ?)) DESC, id LIMIT ?`,
    [tenantId, ...status.bindings, tsquery, tsquery, limit]
  )
  if (prefix.rows.length >= FUZZY_BELOW) return prefix.rows.map((row: { id: number }) => row.id)

  // typos, through the same index: each word or a word one typo away (letter too many, two swapped)
  const near = words
    .map(
      (word) => `(${[word, ...typoVariants(word)].map((variant) => `${variant}:*`).join(' | ')})`
    )
    .join(' & ')
  const nearRows = await db.rawQuery(
    `SELECT id FROM crm_clients
     WHERE tenant_id = ?${status.sql} AND search_vector @@ to_tsquery('simple', ?)
     ORDER BY ts_rank(search_vector, to_tsquery('simple', ?)) DESC, id LIMIT ?`,
    [tenantId, ...status.bindings, near, near, limit]
  )
  if (nearRows.rows.length) return nearRows.rows.map((row: { id: number }) => row.id)

  // a letter missing or mistyped: trigram word similarity
  const text = words.join(' ')
  return db.transaction(async (trx) => {
    // the threshold <% reads; SET LOCAL keeps it to this transaction
    await trx.rawQuery(`SET LOCAL pg_trgm.word_similarity_threshold = ${PG_SIMILARITY}`)
    const fuzzy = await trx.rawQuery(
      `SELECT id FROM crm_clients
       WHERE tenant_id = ?${status.sql} AND ? <% search_text
       ORDER BY word_similarity(?, search_text) DESC, id LIMIT ?`,
      [tenantId, ...status.bindings, text, text, limit]
    )
    return fuzzy.rows.map((row: { id: number }) => row.id)
  })
}

/* Ranked ids of the current tenant's clients matching `search`. */
export async function searchClientIds(search: string, options: SearchOptions = {}) {
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new Error('Client search needs a tenant in context')
  return isPostgres()
    ? postgresSearch(search, tenantId, options)
    : sqliteSearch(search, tenantId, options)
}
