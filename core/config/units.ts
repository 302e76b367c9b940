/**
 * Parsers for the human units environment files use: durations ("500ms", "30s", "2m", "1h")
 * and Docker memory sizes ("256M", "1G"). Pure and shared by the schema and the plan.
 */

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/
const DURATION_FACTOR: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds in a duration such as "30s", or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text)
  if (!match) return undefined
  return Math.round(Number(match[1]) * DURATION_FACTOR[match[2]!]!)
}

const MEMORY = /^(\d+)([KMG])$/
const MEMORY_FACTOR: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }

/** Bytes in a Docker memory size such as "512M", or undefined when it is not one. */
export function parseMemory(text: string): number | undefined {
  const match = MEMORY.exec(text)
  if (!match) return undefined
  return Number(match[1]) * MEMORY_FACTOR[match[2]!]!
}

/** "90000" ms → "1m30s"; used where the plan prints a deadline. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  const seconds = Math.round(ms / 1000)
  const m = Math.floor(seconds / 60)
  const s = seconds % 60
  if (m === 0) return `${s}s`
  return s === 0 ? `${m}m` : `${m}m${s}s`
}
