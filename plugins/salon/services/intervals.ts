/*
 * Half-open intervals [start, end) of epoch milliseconds, kept sorted and
 * disjoint. Availability is computed with these, in memory, per staff member.
 */
export type Interval = [number, number]

/* sorted, overlapping or touching intervals merged */
export function normalize(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0])
  const out: Interval[] = []
  for (const [a, b] of sorted) {
    const last = out[out.length - 1]
    if (last && a <= last[1]) last[1] = Math.max(last[1], b)
    else out.push([a, b])
  }
  return out
}

/* a minus b; both normalized */
export function subtract(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = []
  let j = 0
  for (const [start, end] of a) {
    let cursor = start
    while (j < b.length && b[j][1] <= cursor) j++
    let k = j
    while (k < b.length && b[k][0] < end) {
      if (b[k][0] > cursor) out.push([cursor, b[k][0]])
      cursor = Math.max(cursor, b[k][1])
      if (cursor >= end) break
      k++
    }
    if (cursor < end) out.push([cursor, end])
  }
  return out
}

/* a ∩ b; both normalized */
export function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i][0], b[j][0])
    const end = Math.min(a[i][1], b[j][1])
    if (start < end) out.push([start, end])
    if (a[i][1] < b[j][1]) i++
    else j++
  }
  return out
}

/* where at least `capacity` of the intervals overlap (a sweep over their edges) */
export function saturated(intervals: Interval[], capacity: number): Interval[] {
  const edges: [number, number][] = []
  for (const [a, b] of intervals) edges.push([a, 1], [b, -1])
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1])
  const out: Interval[] = []
  let depth = 0
  let from = 0
  for (const [at, delta] of edges) {
    const before = depth
    depth += delta
    if (before < capacity && depth >= capacity) from = at
    else if (before >= capacity && depth < capacity) out.push([from, at])
  }
  return normalize(out)
}
