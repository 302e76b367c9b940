/**
 * Milliseconds back to a Prometheus duration ("5m", "1h30m", "1m30s500ms") for `for:` in a rules
 * file. Exact, unlike units.ts formatDuration (which rounds to seconds for people to read).
 */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
]

export function promDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`${ms} is not a whole, non-negative number of milliseconds`)
  if (ms === 0) return "0s"
  let rest = ms
  let text = ""
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size)
    if (count > 0) text += `${count}${unit}`
    rest -= count * size
  }
  return text
}
