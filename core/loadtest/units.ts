/**
 * wrk's human units, read back: times as "us", "ms", "s", "m", "h" (wrk scales by 1000 up to
 * seconds, then by 60) and counts with metric suffixes. Millisecond values are rounded to the
 * microsecond, so 1.02s is 1020, not 1020.0000000000001.
 */
import { LoadTestError } from "./errors.js"

const TIME_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** "371.06us" → 0.371; "1.02s" → 1020. */
export function timeToMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(text)
  if (!match) throw new LoadTestError("wrk-output", `cannot read wrk's time "${text}"`)
  return roundMs(Number(match[1]) * TIME_MS[match[2]!]!)
}

/** "3.00s" → 3; "1.00m" → 60. */
export function timeToSeconds(text: string): number {
  return Math.round(timeToMs(text)) / 1000
}

export const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000
