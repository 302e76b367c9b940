/**
 * The post-switch watch: keep probing the live release for `windowMs` and report the first
 * *sustained* failure (`failureThreshold` failed attempts in a row), which the orchestrator
 * answers with an automatic switch-back. Isolated blips are counted, not acted on. A failing run
 * still open when the window ends is followed to its end (at most failureThreshold − 1 more
 * attempts), so a release that breaks in the last second is not waved through.
 *
 * It never throws for a failing release: the outcome is data. Clock and sleep are injected.
 */
import type { Timing } from "../time/clock.js"
import { deadline } from "./deadline.js"
import { type AttemptRecord, nextStepFor } from "./gate-error.js"
import { KEEP_LAST, remember } from "./records.js"
import { attempt, type Probe } from "./result.js"

export interface WatchOptions {
  windowMs: number
  intervalMs: number
  failureThreshold: number
  /** One attempt's limit (default intervalMs). */
  timeoutMs?: number
  keep?: number
}

interface WatchCommon {
  target: string
  attempts: number
  elapsedMs: number
  /** Failed attempts in all, including isolated ones. */
  failures: number
  last: AttemptRecord[]
}

export type WatchReport =
  | (WatchCommon & { ok: true })
  | (WatchCommon & {
      ok: false
      /** When the failing run began, as an offset from the start of the watch. */
      failedAtMs: number
      /** What to check next. */
      next: string
    })

export async function watch(probe: Probe, options: WatchOptions, timing: Timing): Promise<WatchReport> {
  const { windowMs, intervalMs, failureThreshold } = options
  const timeoutMs = options.timeoutMs ?? intervalMs
  if (!(failureThreshold >= 1) || !(intervalMs > 0) || !(windowMs >= 0) || !(timeoutMs > 0)) {
    throw new RangeError(
      `watch needs failureThreshold ≥ 1, intervalMs > 0, windowMs ≥ 0 and timeoutMs > 0; got ${JSON.stringify({ windowMs, intervalMs, failureThreshold, timeoutMs })}`,
    )
  }
  const { clock, sleep } = timing
  const keep = options.keep ?? KEEP_LAST
  const window = deadline(clock.now(), windowMs)
  const last: AttemptRecord[] = []
  let attempts = 0
  let failures = 0
  let streak = 0
  let streakStartedAtMs = 0
  for (;;) {
    const startedAt = clock.now()
    attempts++
    const result = await attempt(probe, timeoutMs, last.at(-1)?.target)
    remember(last, { ...result, attempt: attempts, atMs: window.elapsed(startedAt) }, keep)
    if (result.ok) {
      streak = 0
    } else {
      if (streak === 0) streakStartedAtMs = window.elapsed(startedAt)
      streak++
      failures++
    }
    const now = clock.now()
    const common = { target: result.target, attempts, elapsedMs: window.elapsed(now), failures, last }
    if (streak >= failureThreshold)
      return { ...common, ok: false, failedAtMs: streakStartedAtMs, next: nextStepFor(last) }
    if (streak === 0 && now + intervalMs > window.at) return { ...common, ok: true }
    await sleep(intervalMs)
  }
}
