import db from '@adonisjs/lucid/services/db'
import { tenantContext } from '#plinth'

/*
 * Client search: names, company, contacts, emails and phones; prefix matches
 * ranked first, then typo-tolerant matches. Reads the indexes of migrations
 * 0002 and 0006-0008 (FTS5 on SQLite, tsvector + pg_trgm on PostgreSQL),
 * which hold each client's tenant: a search reads only its tenant's entries.
 * Word-prefix matches first; only when there are none, words one typo away,
 * then words sharing trigrams. A capped number of index matches is ranked by
 * rankCandidates on both databases. Answers ranked client ids, at most
 * MAX_MATCHES.
 */
export const MAX_MATCHES = 500

/* typo-tolerant matches are looked for only when no word-prefix match exists */
const FUZZY_BELOW = 1

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

/*
 * An email or part of one ("@harbor.example", "emma.garcia1"), searched as a
 * substring of the text through the trigram index: its words would each
 * match most clients ("example"). If it matches nothing, its words are
 * searched as any others.
 */
function emailPart(search: string) {
  const text = search.normalize('NFKC').toLowerCase().trim()
  return /^\S{3,100}$/.test(text) && /[\p{L}\p{N}][@.]|[@.][\p{L}\p{N}]/u.test(text) ? text : null
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
 * At most this many index matches of the tenant are read and ranked, so a
 * query matching most clients ("mar") costs about what a narrow one does.
 */
const CANDIDATES = 500

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
  /*
   * The newest CANDIDATES matches of this tenant (the search_tenant column,
   * migration 0007), read from the index in rowid order and stopped there:
   * CROSS JOIN keeps the FTS table the outer loop, since SQLite would
   * otherwise walk the tenant's clients and run the MATCH once per client.
   */
  const run = async (
    table: 'crm_clients_fts' | 'crm_clients_trigram',
    match: string,
    words: string[]
  ) => {
    const tenant = table === 'crm_clients_fts' ? phrase(String(tenantId)) : phrase(`<${tenantId}>`)
    const rows = await db.rawQuery(
      `SELECT c.id, c.name, c.company_name FROM ${table} f
       CROSS JOIN crm_clients c ON c.id = f.rowid
       WHERE ${table} MATCH ? AND c.tenant_id = ?${status.sql}
       ORDER BY f.rowid DESC LIMIT ${CANDIDATES}`,
      [`search_tenant : ${tenant} AND search_text : (${match})`, tenantId, ...status.bindings]
    )
    return rankCandidates(rows as Candidate[], words).slice(0, limit)
  }
  const digits = phoneDigits(search)
  if (digits) return run('crm_clients_trigram', phrase(digits), [])

  const words = searchWords(search)
  if (!words.length) return []
  const email = emailPart(search)
  if (email) {
    const found = await run('crm_clients_trigram', phrase(email), words)
    if (found.length) return found
  }
  const prefix = (word: string) => `${phrase(word)}*`
  const ids = await run('crm_clients_fts', words.map(prefix).join(' AND '), words)
  if (ids.length >= FUZZY_BELOW) return ids

  // typos: each word, or a word one typo away ...
  // a letter too many or two swapped; a letter missing or mistyped is left to the trigrams
  // below (FTS5 pays for every OR term: the ~300 variants of those cost it 100x more)
  const nearWords = words.map(
    (word) => `(${[word, ...typoVariants(word)].map(prefix).join(' OR ')})`
  )
  const near = await run('crm_clients_fts', nearWords.join(' AND '), words)
  if (near.length) return near
  // ... or every word shares two trigrams with the client (a letter missing or mistyped)
  const perWord = words.flatMap((word) => {
    const grams = trigrams(word)
    if (!grams.length) return []
    if (grams.length < 2) return [phrase(grams[0])]
    const pairs = grams
      .slice(1)
      .map((gram, index) => `(${phrase(grams[index])} AND ${phrase(gram)})`)
    return [`(${pairs.join(' OR ')})`]
  })
  if (!perWord.length) return []
  return run('crm_clients_trigram', perWord.join(' AND '), words)
}

/* "smith84" → ["smith", "84"]: the PostgreSQL tsvector splits words where letters meet digits (migration 0008). */
export function letterDigitParts(word: string) {
  return word.split(/(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u).filter(Boolean)
}

/*
 * A word as a tsquery of the tenant's word prefixes, as the tsvector holds
 * them (migration 0008: split where letters meet digits, each word led by its
 * tenant): "garcia1" in tenant 6 → '6/garcia':* & '6/1':*. Words are letters
 * or digits only (searchWords), so nothing in them needs quoting.
 */
const prefixQuery = (tenantId: number, word: string) =>
  letterDigitParts(word)
    .map((part) => `'${tenantId}/${part}':*`)
    .join(' & ')

/*
 * Leads a statement the planner must answer from a GIN index. Sent with it in
 * one message (one round trip): SET LOCAL holds until the message's implicit
 * transaction ends. That simple protocol takes no parameters, so the
 * statement goes with its values inlined by knex's PostgreSQL escaping; knex
 * still reads any "?" in it as a placeholder, so the values never hold one.
 */
const INDEX_ONLY = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;'

async function postgresSearch(search: string, tenantId: number, options: SearchOptions) {
  const limit = options.limit ?? MAX_MATCHES
  const status = statusFilter(options, 'status')
  /*
   * At most CANDIDATES rows straight from an index (no ORDER BY, so PostgreSQL
   * stops reading once it has them), ranked here as on SQLite. Only this
   * tenant's index entries are read: the trigram index leads with tenant_id
   * (migration 0006), the tsvector's words carry it (0008). With indexOnly, the GIN index is the only way in: the planner estimates
   * a tsquery of typo variants (or trigram LIKEs) to match many rows and would
   * read the tenant's rows one by one, seconds when nothing matches.
   */
  const candidates = async (
    where: string,
    bindings: string[],
    words: string[],
    indexOnly = false,
    tenant = 'tenant_id'
  ) => {
    const sql = `SELECT id, name, company_name FROM crm_clients
       WHERE ${tenant} = ?${status.sql} AND ${where}
       LIMIT ${CANDIDATES}`
    const params = [tenantId, ...status.bindings, ...bindings]
    // with INDEX_ONLY the answer is one result per statement: the SELECT's is last
    const results = indexOnly
      ? await db.rawQuery(`${INDEX_ONLY} ${db.rawQuery(sql, params).toQuery()}`)
      : [await db.rawQuery(sql, params)]
    const rows = results.at(-1).rows.map((row: Candidate) => ({ ...row, id: Number(row.id) }))
    return rankCandidates(rows, words).slice(0, limit)
  }
  // "?" (knex's placeholder, see INDEX_ONLY) becomes "_", LIKE's any one character
  const likePattern = (text: string) =>
    `%${text.replace(/[\\%_]/g, (char) => `\\${char}`).replaceAll('?', '_')}%`
  const digits = phoneDigits(search)
  // a phone number or part of one: the trigram index serves LIKE
  if (digits) return candidates('search_text LIKE ?', [likePattern(digits)], [])

  const words = searchWords(search)
  if (!words.length) return []
  const email = emailPart(search)
  if (email) {
    const found = await candidates('search_text LIKE ?', [likePattern(email)], words, true)
    if (found.length) return found
  }

  const matches = (tsquery: string, indexOnly = false) =>
    // the words carry the tenant: tenant_id is only checked (as an index condition, PostgreSQL
    // would intersect the matches with all the tenant's rows from the trigram index)
    candidates(`search_vector @@ ?::tsquery`, [tsquery], words, indexOnly, 'tenant_id + 0')
  const prefixes = (word: string) => prefixQuery(tenantId, word)
  const ids = await matches(words.map(prefixes).join(' & '))
  if (ids.length >= FUZZY_BELOW) return ids

  // typos, through the same index: each word or a word one typo away (a letter too many, two
  // swapped); a letter missing or mistyped is left to the trigrams below (a tsquery of the ~300
  // such variants costs the GIN index hundreds of milliseconds)
  const near = await matches(
    words.map((word) => `(${[word, ...typoVariants(word)].map(prefixes).join(' | ')})`).join(' & '),
    true
  )
  if (near.length) return near

  // further off: every word shares four letters in a row (two trigrams) with the client
  const clauses: string[] = []
  const bindings: string[] = []
  for (const word of words) {
    const grams = word.length <= 4 ? [word] : fourGrams(word)
    clauses.push(`(${grams.map(() => 'search_text LIKE ?').join(' OR ')})`)
    bindings.push(...grams.map((gram) => `%${gram}%`))
  }
  return candidates(clauses.join(' AND '), bindings, words, true)
}

function fourGrams(word: string) {
  const grams: string[] = []
  for (let index = 0; index + 4 <= word.length; index++) grams.push(word.slice(index, index + 4))
  return grams
}

/* Ranked ids of the current tenant's clients matching `search`. */
export async function searchClientIds(search: string, options: SearchOptions = {}) {
  const tenantId = tenantContext.tenantId
  if (tenantId === null) throw new Error('Client search needs a tenant in context')
  return isPostgres()
    ? postgresSearch(search, tenantId, options)
    : sqliteSearch(search, tenantId, options)
}
