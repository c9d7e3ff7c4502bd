import { currencyExponent } from '#ledger/currencies'

/* PostgreSQL int8 bounds: every amount and every sum the ledger stores fits them. */
export const INT8_MAX = 9223372036854775807n
export const INT8_MIN = -9223372036854775808n

/*
 * Parses a database integer (pg hands int8/numeric back as text; the ledger
 * reads SQLite amounts as CAST(... AS TEXT)) into an exact BigInt. A JS number
 * is accepted only when it is a safe integer, so nothing rounded slips in.
 */
export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (value === null || value === undefined) return 0n
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`Unsafe integer from the database: ${value}`)
    return BigInt(value)
  }
  const text = String(value)
  // a SQLite sum split in two (see sumOfAmounts in #ledger/sums): high 32 bits, low 32 bits
  const split = /^(-?\d+):(\d+)$/.exec(text)
  if (split) return BigInt(split[1]) * 4294967296n + BigInt(split[2])
  // numeric sums come back as "123" or, on some paths, "123.0000"
  const match = /^(-?\d+)(?:\.0*)?$/.exec(text)
  if (!match) throw new Error(`Not an integer: ${text}`)
  return BigInt(match[1])
}

/* Minor units as a decimal string in major units: 12345 EUR -> "123.45", 5 JPY -> "5". */
export function formatMinor(amount: bigint, currency: string): string {
  const exponent = currencyExponent(currency)
  const negative = amount < 0n
  const digits = (negative ? -amount : amount).toString().padStart(exponent + 1, '0')
  const whole = exponent ? digits.slice(0, -exponent) : digits
  const fraction = exponent ? `.${digits.slice(-exponent)}` : ''
  return `${negative ? '-' : ''}${whole}${fraction}`
}

export type AmountParse = { ok: true; value: bigint } | { ok: false; reason: string }

/*
 * An amount as the API receives it: a string of integer minor units ("12345")
 * or a safe JSON integer. Fractions, exponents, floats and anything past int8
 * are refused rather than rounded.
 */
export function parseMinorUnits(raw: unknown): AmountParse {
  let text: string
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw)) {
      return {
        ok: false,
        reason: 'must be an integer number of minor units (send large amounts as a string)',
      }
    }
    text = String(raw)
  } else if (typeof raw === 'string') {
    text = raw.trim()
  } else {
    return { ok: false, reason: 'must be a string of integer minor units, e.g. "12345"' }
  }
  if (!/^-?\d{1,20}$/.test(text)) {
    return {
      ok: false,
      reason:
        'must be an integer number of minor units, e.g. "12345" for 123.45 EUR (no fractions)',
    }
  }
  const value = BigInt(text)
  if (value > INT8_MAX || value < INT8_MIN) {
    return { ok: false, reason: `must be within the 64-bit range (at most ${INT8_MAX})` }
  }
  return { ok: true, value }
}
