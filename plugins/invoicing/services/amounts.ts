/*
 * Exact document arithmetic, in integer minor units (bigint) only.
 *
 * - Quantities are thousandths (1.5 → 1500); tax rates are millionths of the
 *   amount (20% → 200000, 8.875% → 88750).
 * - Rounding is per line, half up (a half minor unit goes up: all amounts here
 *   are non-negative, so this is also "half away from zero"):
 *     amount = round(quantity × unit price)
 *     exclusive rate: net = amount, tax = round(net × rate), total = net + tax
 *     inclusive rate: total = amount, net = round(total / (1 + rate)), tax = total − net
 * - A document's subtotal, tax and total are the sums of its lines' net, tax
 *   and total, so the total always equals the sum of the lines.
 */
export const QUANTITY_SCALE = 1000n
export const RATE_SCALE = 1_000_000n

/* round(numerator / denominator), half up, for numerator ≥ 0 and denominator > 0 */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new Error('divideHalfUp: non-negative only')
  return (numerator * 2n + denominator) / (denominator * 2n)
}

export type LineAmounts = { net: bigint; tax: bigint; total: bigint }

export function lineAmounts(input: {
  quantityMilli: bigint
  unitPrice: bigint
  ratePpm: number
  inclusive: boolean
}): LineAmounts {
  const amount = divideHalfUp(input.quantityMilli * input.unitPrice, QUANTITY_SCALE)
  const rate = BigInt(input.ratePpm)
  if (input.inclusive) {
    const net = divideHalfUp(amount * RATE_SCALE, RATE_SCALE + rate)
    return { net, tax: amount - net, total: amount }
  }
  const tax = divideHalfUp(amount * rate, RATE_SCALE)
  return { net: amount, tax, total: amount + tax }
}

export function sumLines(lines: LineAmounts[]): LineAmounts {
  return lines.reduce(
    (sum, line) => ({
      net: sum.net + line.net,
      tax: sum.tax + line.tax,
      total: sum.total + line.total,
    }),
    { net: 0n, tax: 0n, total: 0n }
  )
}

/* "1.5" / 1.5 / "2" → 1500n / 2000n; at most 3 decimals, positive; null when unreadable */
export function parseQuantity(raw: unknown): bigint | null {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : ''
  const match = /^(\d{1,12})(?:\.(\d{1,3}))?$/.exec(text)
  if (!match) return null
  const milli = BigInt(match[1]) * QUANTITY_SCALE + BigInt((match[2] ?? '').padEnd(3, '0'))
  return milli > 0n ? milli : null
}

export function formatQuantity(milli: bigint): string {
  const whole = milli / QUANTITY_SCALE
  const fraction = (milli % QUANTITY_SCALE).toString().padStart(3, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : `${whole}`
}

/* "20" / "8.875" / 20 (percent, at most 4 decimals, 0..100) → millionths; null when unreadable */
export function parseRatePercent(raw: unknown): number | null {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : ''
  const match = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(text)
  if (!match) return null
  const ppm = Number(match[1]) * 10_000 + Number((match[2] ?? '').padEnd(4, '0'))
  return ppm <= 1_000_000 ? ppm : null
}

export function formatRatePercent(ppm: number): string {
  const whole = Math.floor(ppm / 10_000)
  const fraction = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : `${whole}`
}
