/**
 * Time as an injected dependency. The ledger, the lock and the backups stamp records and wait on
 * timeouts; taking the clock and the sleep as arguments lets tests fix both and assert exact text.
 */

export interface Clock {
  now(): Date
}

export type Sleep = (ms: number) => Promise<void>

export const systemClock: Clock = { now: () => new Date() }

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
