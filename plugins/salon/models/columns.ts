/* Column adapters shared by the salon models. */

/* epoch milliseconds: bigint on PostgreSQL comes back as a string */
export const epochMs = {
  consume: (value: unknown) => (value === null || value === undefined ? null : Number(value)),
}

/* minor units: kept as decimal strings (bigint-safe) */
export const minor = {
  consume: (value: unknown) => (value === null || value === undefined ? null : String(value)),
}

export const json = {
  prepare: (value: unknown) => JSON.stringify(value ?? null),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
}
