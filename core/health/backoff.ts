/**
 * Retry delays as a pure, infinite generator, kept apart from the loop that sleeps (zx's
 * `expBackoff`): the schedule is tested as a list of numbers, and the loop only consumes it.
 *
 * Delay n is min(maxMs, intervalMs × factor^n), then jittered *downwards* by up to `jitter` of
 * itself, so `maxMs` stays a true cap and concurrent probers spread out instead of retrying in
 * lockstep. `random` is injected (defaults to Math.random) so the jitter is testable.
 */

export interface BackoffOptions {
  /** The first delay. */
  intervalMs: number
  /** Growth per step; 1 gives a fixed interval. */
  factor: number
  /** No delay exceeds this. */
  maxMs: number
  /** 0 (none) to 1: each delay is scaled by a random amount in [1 − jitter, 1]. */
  jitter: number
  /** A source of numbers in [0, 1). */
  random?: () => number
}

export function* backoff(options: BackoffOptions): Generator<number, never, void> {
  const { intervalMs, factor, maxMs, jitter } = options
  if (!(intervalMs >= 0) || !(factor >= 1) || !(maxMs >= 0) || !(jitter >= 0 && jitter <= 1)) {
    throw new RangeError(
      `backoff needs intervalMs ≥ 0, factor ≥ 1, maxMs ≥ 0 and jitter in [0, 1]; got ${JSON.stringify({ intervalMs, factor, maxMs, jitter })}`,
    )
  }
  const random = options.random ?? Math.random
  let base = Math.min(intervalMs, maxMs)
  for (;;) {
    yield Math.round(base * (1 - jitter * random()))
    base = Math.min(maxMs, base * factor)
  }
}

/** The first `count` delays of a schedule: for tests, logs and the plan. */
export function take(schedule: Iterator<number>, count: number): number[] {
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    const step = schedule.next()
    if (step.done) break
    out.push(step.value)
  }
  return out
}
