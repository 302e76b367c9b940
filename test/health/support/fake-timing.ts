/**
 * A fake clock and sleep for the health loops: sleeping advances time instantly and is recorded,
 * and scripted probes advance time by how long each attempt "takes", so the loops' schedules
 * are asserted as exact numbers.
 */
import type { Timing } from "../../../core/time/clock.js"
import type { Probe, ProbeResult } from "../../../core/health/result.js"

export class FakeTiming implements Timing {
  t = 0
  readonly sleeps: number[] = []
  readonly clock = { now: () => this.t }
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    this.t += ms
  }
}

export const TARGET = "GET http://10.0.0.5:8001/health/ (Host: app.example.com)"

export type Step = Partial<ProbeResult> & { takes?: number }

export const pass: Step = { ok: true, status: 200, body: '{"status": "healthy", "version": "1.2.3"}', takes: 10 }
export const down: Step = {
  ok: false,
  status: 503,
  body: '{"status": "unhealthy", "database": "ok", "cache": "error"}',
  failure: "unhealthy",
  error: 'status is "unhealthy", not "healthy"',
  takes: 10,
}
export const refused: Step = { ok: false, failure: "refused", error: "connection refused (ECONNREFUSED)", takes: 10 }

/** A probe that plays `steps` in order, records the timeout of each call, and fails the test if called once too often. */
export function scripted(timing: FakeTiming, steps: Step[]): Probe & { timeouts: number[] } {
  const timeouts: number[] = []
  let next = 0
  const probe = async ({ timeoutMs }: { timeoutMs: number }): Promise<ProbeResult> => {
    timeouts.push(timeoutMs)
    const step = steps[next++]
    if (!step) throw new Error(`script exhausted: called ${next} times, scripted ${steps.length}`)
    const { takes = 0, ...result } = step
    timing.t += takes
    return { ok: false, target: TARGET, ms: takes, ...result }
  }
  return Object.assign(probe, { timeouts })
}
