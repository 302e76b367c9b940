/**
 * The pre-switch health gate: probe the new release every `intervalMs` (measured from the end of
 * one attempt to the start of the next) until `healthyThreshold` attempts pass in a row, or give
 * up with a HealthGateError. It gives up as soon as the passes it still needs can no longer
 * *start* before the deadline, instead of sleeping out a gate that cannot pass, and as soon as
 * the release has answered healthy with another version `healthyThreshold` times in a row (an
 * image that reports another version does not change its mind). No attempt may run past the
 * deadline: each gets min(timeoutMs, time left).
 *
 * Pure loop over an injected probe, clock and sleep (style principle 9); the edges live in probes/.
 */
import type { Timing } from "../time/clock.js"
import { deadline } from "./deadline.js"
import { type AttemptRecord, HealthGateError } from "./gate-error.js"
import { KEEP_LAST, remember } from "./records.js"
import { attempt, type Probe } from "./result.js"

export interface GateOptions {
  intervalMs: number
  /** One attempt's limit. */
  timeoutMs: number
  healthyThreshold: number
  /** The whole gate's budget, from the first attempt. */
  deadlineMs: number
  /** How many attempts the report and the error keep (default 5). */
  keep?: number
}

export interface GateReport {
  target: string
  attempts: number
  elapsedMs: number
  last: AttemptRecord[]
}

export async function waitHealthy(probe: Probe, options: GateOptions, timing: Timing): Promise<GateReport> {
  const { intervalMs, timeoutMs, healthyThreshold, deadlineMs } = options
  if (!(healthyThreshold >= 1) || !(intervalMs >= 0) || !(timeoutMs > 0) || !(deadlineMs > 0)) {
    throw new RangeError(
      `waitHealthy needs healthyThreshold ≥ 1, intervalMs ≥ 0, timeoutMs > 0 and deadlineMs > 0; got ${JSON.stringify({ intervalMs, timeoutMs, healthyThreshold, deadlineMs })}`,
    )
  }
  const { clock, sleep } = timing
  const keep = options.keep ?? KEEP_LAST
  const limit = deadline(clock.now(), deadlineMs)
  const last: AttemptRecord[] = []
  let attempts = 0
  let streak = 0
  let bestStreak = 0
  let wrongVersion = 0
  for (;;) {
    const startedAt = clock.now()
    attempts++
    const result = await attempt(probe, Math.min(timeoutMs, limit.remaining(startedAt)), last.at(-1)?.target)
    remember(last, { ...result, attempt: attempts, atMs: limit.elapsed(startedAt) }, keep)
    streak = result.ok ? streak + 1 : 0
    wrongVersion = result.failure === "version" ? wrongVersion + 1 : 0
    bestStreak = Math.max(bestStreak, streak)
    const now = clock.now()
    if (streak >= healthyThreshold) return { target: result.target, attempts, elapsedMs: limit.elapsed(now), last }
    const failed = {
      target: result.target,
      healthyThreshold,
      deadlineMs,
      attempts,
      elapsedMs: limit.elapsed(now),
      bestStreak,
      last,
    }
    if (wrongVersion >= healthyThreshold) throw new HealthGateError({ ...failed, stoppedBy: "wrong-version" })
    const needed = healthyThreshold - streak
    if (!limit.allows(now, intervalMs * needed)) throw new HealthGateError(failed)
    await sleep(intervalMs)
  }
}
