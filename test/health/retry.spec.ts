/** The retry loop under a fake clock: exact sleeps, attempt counts and per-attempt timeouts. */
import { expect } from "chai"
import { backoff } from "../../core/health/backoff.js"
import { retryUntilDeadline } from "../../core/health/retry.js"
import { FakeTiming, pass, refused, scripted, TARGET } from "./support/fake-timing.js"

describe("health/retry", () => {
  const schedule = () => backoff({ intervalMs: 100, factor: 2, maxMs: 1000, jitter: 0 })

  it("retries on the schedule until an attempt passes", async () => {
    const timing = new FakeTiming()
    const probe = scripted(timing, [refused, refused, pass])
    const outcome = await retryUntilDeadline(
      probe,
      { deadlineMs: 5000, attemptTimeoutMs: 500, schedule: schedule() },
      timing,
    )
    expect(outcome).to.deep.equal({
      result: { ok: true, target: TARGET, ms: 10, status: 200, body: '{"status": "healthy", "version": "1.2.3"}' },
      attempts: 3,
      elapsedMs: 330,
    })
    expect(timing.sleeps).to.deep.equal([100, 200])
    expect(probe.timeouts).to.deep.equal([500, 500, 500])
  })

  it("stops when the next delay would start an attempt at or after the deadline, returning the last failure", async () => {
    const timing = new FakeTiming()
    const instant = { ...refused, takes: 0 }
    const probe = scripted(timing, [instant, instant, instant, instant])
    const outcome = await retryUntilDeadline(
      probe,
      { deadlineMs: 1000, attemptTimeoutMs: 500, schedule: schedule() },
      timing,
    )
    // attempts at 0, 100, 300, 700; the next would start at 1500
    expect(outcome).to.deep.equal({
      result: { ok: false, target: TARGET, ms: 0, failure: "refused", error: "connection refused (ECONNREFUSED)" },
      attempts: 4,
      elapsedMs: 700,
    })
    expect(timing.sleeps).to.deep.equal([100, 200, 400])
    expect(probe.timeouts).to.deep.equal([500, 500, 500, 300])
  })

  it("does not retry refused credentials: waiting will not fix them", async () => {
    const timing = new FakeTiming()
    const auth = {
      ok: false,
      failure: "auth" as const,
      error: 'password authentication failed for user "webapp" (28P01)',
      takes: 5,
    }
    const outcome = await retryUntilDeadline(
      scripted(timing, [refused, auth]),
      { deadlineMs: 5000, attemptTimeoutMs: 500, schedule: schedule() },
      timing,
    )
    expect(outcome).to.deep.equal({
      result: {
        ok: false,
        target: TARGET,
        ms: 5,
        failure: "auth",
        error: 'password authentication failed for user "webapp" (28P01)',
      },
      attempts: 2,
      elapsedMs: 115,
    })
  })

  it("stops when a finite schedule runs out", async () => {
    const timing = new FakeTiming()
    const probe = scripted(timing, [refused, refused])
    const outcome = await retryUntilDeadline(
      probe,
      { deadlineMs: 60_000, attemptTimeoutMs: 500, schedule: [50][Symbol.iterator]() },
      timing,
    )
    expect([outcome.attempts, outcome.elapsedMs, timing.sleeps]).to.deep.equal([2, 70, [50]])
  })
})
