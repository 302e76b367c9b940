/**
 * The typed failure of the pre-switch health gate. It carries the last attempts verbatim
 * (status, body excerpt, error) and one next step, so the orchestrator can record it and a
 * person can act on it without re-running anything. The message is built by a pure formatter,
 * apart from the class (as execa does), and tests assert it whole.
 */
import { formatDuration } from "../config/units.js"
import { PipelineError } from "../errors/pipeline-error.js"
import { nextStep } from "./hints.js"
import type { ProbeResult } from "./result.js"

/** One attempt of a loop, numbered from 1, with its start as an offset from the loop's start. */
export type AttemptRecord = ProbeResult & { attempt: number; atMs: number }

export interface GateFailure {
  target: string
  healthyThreshold: number
  deadlineMs: number
  attempts: number
  elapsedMs: number
  /** The longest run of consecutive passes seen. */
  bestStreak: number
  last: AttemptRecord[]
  /**
   * Why it stopped: the deadline (the passes it needs can no longer start), or the release
   * answering healthy with another version healthyThreshold times in a row, which waiting for the
   * deadline would not change. Default "deadline".
   */
  stoppedBy?: "deadline" | "wrong-version"
}

export class HealthGateError extends PipelineError {
  override readonly name = "HealthGateError"
  readonly code = "health-gate-failed"
  readonly target: string
  readonly attempts: number
  readonly elapsedMs: number
  readonly last: AttemptRecord[]
  /** What to check next, from the last attempt. */
  readonly next: string
  constructor(readonly failure: GateFailure) {
    super(formatGateFailure(failure), { hint: nextStepFor(failure.last) })
    this.target = failure.target
    this.attempts = failure.attempts
    this.elapsedMs = failure.elapsedMs
    this.last = failure.last
    this.next = nextStepFor(failure.last)
  }
}

export function nextStepFor(last: readonly AttemptRecord[]): string {
  const failed = [...last].reverse().find((record) => !record.ok)
  return failed ? nextStep(failed) : "nothing: no attempt failed"
}

/** `#4 +3s 503 12ms: expected status 200, got 503` with the body excerpt on its own line. */
export function formatAttempt(record: AttemptRecord): string[] {
  const status = record.status === undefined ? "" : ` ${record.status}`
  const outcome = record.ok ? "ok" : (record.error ?? record.failure ?? "failed")
  const lines = [`  #${record.attempt} +${formatDuration(record.atMs)}${status} ${record.ms}ms: ${outcome}`]
  if (record.body !== undefined && record.body !== "") lines.push(`      body: ${record.body}`)
  return lines
}

export function formatGateFailure(failure: GateFailure): string {
  const { target, healthyThreshold, deadlineMs, attempts, elapsedMs, bestStreak, last } = failure
  const counted = `${attempts} attempt${attempts === 1 ? "" : "s"} in ${formatDuration(elapsedMs)}`
  const headline =
    failure.stoppedBy === "wrong-version"
      ? `health gate failed: ${target} answered healthy with the wrong version ${healthyThreshold} times in a row (${counted}); waiting out the ${formatDuration(deadlineMs)} deadline would not change that`
      : `health gate failed: ${target} did not pass ${healthyThreshold} times in a row within ${formatDuration(deadlineMs)} (${counted}, longest run ${bestStreak})`
  return [
    headline,
    `last ${last.length} attempt${last.length === 1 ? "" : "s"}:`,
    ...last.flatMap(formatAttempt),
    `next: ${nextStepFor(last)}`,
  ].join("\n")
}
