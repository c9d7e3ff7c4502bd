/* Amounts are minor units as decimal strings (bigint-safe); never floats. */

export function sumMinor(values: (string | null | undefined)[]): string {
  return values.reduce((total, value) => total + BigInt(value ?? '0'), 0n).toString()
}

/* percent of an amount, rounded half up to the minor unit */
export function percentOf(amount: string, percent: number): string {
  const scaled = BigInt(amount) * BigInt(percent)
  return ((scaled + 50n) / 100n).toString()
}
