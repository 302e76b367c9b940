/**
 * Time as an injected dependency. The health loops (gate, watch, retry) never read the wall
 * clock or call setTimeout themselves: they take a `Timing`, so tests drive them with a fake
 * clock and assert exact schedules, and only this file touches real time.
 */

export interface Clock {
  /** Milliseconds since some fixed origin; only differences are used. */
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
