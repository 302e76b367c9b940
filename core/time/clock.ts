/**
 * Time as an injected dependency, one type for the whole pipeline. The health loops (gate, watch,
 * retry), the ledger, the lock and the backups never read the wall clock or call setTimeout
 * themselves: they take a Clock (and a Sleep, or both as a Timing), so tests drive them with a fake
 * clock and assert exact schedules and exact text, and only this file touches real time.
 */

export interface Clock {
  /** Milliseconds since the Unix epoch, as Date.now(): differences for deadlines, dateAt() for timestamps. */
  now(): number
}

export type Sleep = (ms: number) => Promise<void>

export interface Timing {
  clock: Clock
  sleep: Sleep
}

export const systemClock: Clock = { now: () => Date.now() }

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

export const systemTiming: Timing = { clock: systemClock, sleep: realSleep }

/** The clock's present as a Date, for timestamps in records and messages. */
export function dateAt(clock: Clock): Date {
  return new Date(clock.now())
}
