/**
 * Retry one probe on a backoff schedule until it passes, the deadline leaves no room for
 * another attempt, or it fails in a way waiting cannot fix (refused credentials). Used for the service probes before the switch (a database that is still
 * starting gets a few chances). The schedule is a pure generator (backoff.ts); this loop only
 * consumes it, with injected clock and sleep.
 */
import type { Timing } from "../time/clock.js"
import { deadline } from "./deadline.js"
import { attempt, type FailureKind, type Probe, type ProbeResult } from "./result.js"

/** Failures that another attempt would only repeat. */
export const FINAL_FAILURES: ReadonlySet<FailureKind> = new Set(["auth"])

export interface RetryOptions {
  deadlineMs: number
  /** One attempt's limit; clipped to what is left of the deadline. */
  attemptTimeoutMs: number
  /** Delays between attempts, such as backoff(...). */
  schedule: Iterator<number>
}

export interface RetryOutcome {
  /** The passing attempt, or the last failed one. */
  result: ProbeResult
  attempts: number
  elapsedMs: number
}

export async function retryUntilDeadline(probe: Probe, options: RetryOptions, timing: Timing): Promise<RetryOutcome> {
  const { deadlineMs, attemptTimeoutMs, schedule } = options
  if (!(deadlineMs > 0) || !(attemptTimeoutMs > 0)) {
    throw new RangeError(
      `retryUntilDeadline needs deadlineMs > 0 and attemptTimeoutMs > 0; got ${JSON.stringify({ deadlineMs, attemptTimeoutMs })}`,
    )
  }
  const { clock, sleep } = timing
  const limit = deadline(clock.now(), deadlineMs)
  let attempts = 0
  for (;;) {
    attempts++
    const result = await attempt(probe, Math.min(attemptTimeoutMs, limit.remaining(clock.now())))
    const now = clock.now()
    if (result.ok || (result.failure !== undefined && FINAL_FAILURES.has(result.failure)))
      return { result, attempts, elapsedMs: limit.elapsed(now) }
    const step = schedule.next()
    if (step.done || !limit.allows(now, step.value)) return { result, attempts, elapsedMs: limit.elapsed(now) }
    await sleep(step.value)
  }
}
