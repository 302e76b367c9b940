/**
 * A deadline as a value: where it started, when it ends, and what is left at a given moment.
 * Pure (it takes `now` instead of reading a clock), so the loops that use it are exact under a
 * fake clock.
 */

export interface Deadline {
  readonly startedAt: number
  readonly at: number
  readonly budgetMs: number
  /** Milliseconds left at `now`; never negative. */
  remaining(now: number): number
  elapsed(now: number): number
  expired(now: number): boolean
  /** Whether something starting `delayMs` after `now` still starts before the deadline. */
  allows(now: number, delayMs: number): boolean
}

export function deadline(startedAt: number, budgetMs: number): Deadline {
  const at = startedAt + budgetMs
  return {
    startedAt,
    at,
    budgetMs,
    remaining: (now) => Math.max(0, at - now),
    elapsed: (now) => now - startedAt,
    expired: (now) => now >= at,
    allows: (now, delayMs) => now + delayMs < at,
  }
}
