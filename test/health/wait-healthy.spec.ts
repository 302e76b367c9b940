/** The pre-switch gate under a fake clock: exact schedules, reports and the whole error text. */
import { expect } from "chai"
import { HealthGateError } from "../../core/health/gate-error.js"
import { waitHealthy } from "../../core/health/wait-healthy.js"
import { down, FakeTiming, pass, refused, scripted, TARGET } from "./support/fake-timing.js"

const PASS = { ok: true, target: TARGET, ms: 10, status: 200, body: '{"status": "healthy", "version": "1.2.3"}' }
const DOWN = {
  ok: false,
  target: TARGET,
  ms: 10,
  status: 503,
  body: '{"status": "unhealthy", "database": "ok", "cache": "error"}',
  failure: "unhealthy",
  error: 'status is "unhealthy", not "healthy"',
}
const REFUSED = { ok: false, target: TARGET, ms: 10, failure: "refused", error: "connection refused (ECONNREFUSED)" }

async function rejection(promise: Promise<unknown>): Promise<HealthGateError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof HealthGateError) return err
    throw err
  }
  throw new Error("expected the gate to fail, and it passed")
}

describe("health/waitHealthy", () => {
  const options = { intervalMs: 1000, timeoutMs: 500, healthyThreshold: 3, deadlineMs: 10_000 }

  it("resolves once healthyThreshold attempts pass in a row, sleeping intervalMs between attempts", async () => {
    const timing = new FakeTiming()
    const probe = scripted(timing, [refused, pass, pass, pass])
    const report = await waitHealthy(probe, options, timing)
    expect(report).to.deep.equal({
      target: TARGET,
      attempts: 4,
      elapsedMs: 3040,
      last: [
        { ...REFUSED, attempt: 1, atMs: 0 },
        { ...PASS, attempt: 2, atMs: 1010 },
        { ...PASS, attempt: 3, atMs: 2020 },
        { ...PASS, attempt: 4, atMs: 3030 },
      ],
    })
    expect(timing.sleeps).to.deep.equal([1000, 1000, 1000])
    expect(probe.timeouts).to.deep.equal([500, 500, 500, 500])
  })

  it("starts the run again after a failure", async () => {
    const timing = new FakeTiming()
    const report = await waitHealthy(scripted(timing, [pass, pass, down, pass, pass, pass]), options, timing)
    expect([report.attempts, report.elapsedMs, report.last.map((r) => r.ok)]).to.deep.equal([
      6,
      5060,
      [true, false, true, true, true],
    ])
  })

  it("fails with the last attempts and a next step as soon as the passes it needs can no longer start before the deadline", async () => {
    const timing = new FakeTiming()
    const err = await rejection(
      waitHealthy(scripted(timing, [down, down, down]), { ...options, deadlineMs: 5000 }, timing),
    )
    // attempt 3 ends at 2030; three more passes would need until 5030
    expect(err.message).to.equal(
      [
        `health gate failed: ${TARGET} did not pass 3 times in a row within 5s (3 attempts in 2s, longest run 0)`,
        "last 3 attempts:",
        '  #1 +0ms 503 10ms: status is "unhealthy", not "healthy"',
        '      body: {"status": "unhealthy", "database": "ok", "cache": "error"}',
        '  #2 +1s 503 10ms: status is "unhealthy", not "healthy"',
        '      body: {"status": "unhealthy", "database": "ok", "cache": "error"}',
        '  #3 +2s 503 10ms: status is "unhealthy", not "healthy"',
        '      body: {"status": "unhealthy", "database": "ok", "cache": "error"}',
        "next: the app says it is not healthy: its body names the failing dependency (database, cache or queue); check that service",
      ].join("\n"),
    )
    expect([err.name, err.code, err.target, err.attempts, err.elapsedMs]).to.deep.equal([
      "HealthGateError",
      "health-gate-failed",
      TARGET,
      3,
      2030,
    ])
    expect(err.last).to.deep.equal([
      { ...DOWN, attempt: 1, atMs: 0 },
      { ...DOWN, attempt: 2, atMs: 1010 },
      { ...DOWN, attempt: 3, atMs: 2020 },
    ])
    expect(err.next).to.equal(
      "the app says it is not healthy: its body names the failing dependency (database, cache or queue); check that service",
    )
    expect(timing.sleeps).to.deep.equal([1000, 1000])
  })

  it("fails as soon as the release answers healthy with the wrong version healthyThreshold times in a row, long before the deadline", async () => {
    const timing = new FakeTiming()
    const stale = {
      ok: false,
      status: 200,
      body: '{"status": "healthy", "version": "1.2.2"}',
      failure: "version" as const,
      error: 'version is "1.2.2", expected "1.2.3"',
      takes: 10,
    }
    const err = await rejection(
      waitHealthy(
        scripted(timing, [refused, stale, stale, pass, stale, stale, stale]),
        { ...options, deadlineMs: 60_000 },
        timing,
      ),
    )
    expect(err.message).to.equal(
      [
        `health gate failed: ${TARGET} answered healthy with the wrong version 3 times in a row (7 attempts in 6s); waiting out the 1m deadline would not change that`,
        "last 5 attempts:",
        '  #3 +2s 200 10ms: version is "1.2.2", expected "1.2.3"',
        '      body: {"status": "healthy", "version": "1.2.2"}',
        "  #4 +3s 200 10ms: ok",
        '      body: {"status": "healthy", "version": "1.2.3"}',
        '  #5 +4s 200 10ms: version is "1.2.2", expected "1.2.3"',
        '      body: {"status": "healthy", "version": "1.2.2"}',
        '  #6 +5s 200 10ms: version is "1.2.2", expected "1.2.3"',
        '      body: {"status": "healthy", "version": "1.2.2"}',
        '  #7 +6s 200 10ms: version is "1.2.2", expected "1.2.3"',
        '      body: {"status": "healthy", "version": "1.2.2"}',
        "next: another release is answering: check that the probe reaches the new colour (its port or proxy route) and that the image reports the version being deployed",
      ].join("\n"),
    )
    expect([err.code, err.attempts, err.elapsedMs, err.failure.stoppedBy]).to.deep.equal([
      "health-gate-failed",
      7,
      6070,
      "wrong-version",
    ])
  })

  it("keeps only the last `keep` attempts and reports the longest run", async () => {
    const timing = new FakeTiming()
    const err = await rejection(
      waitHealthy(scripted(timing, [pass, pass, refused]), { ...options, deadlineMs: 4500, keep: 2 }, timing),
    )
    expect(err.failure.bestStreak).to.equal(2)
    expect(err.last).to.deep.equal([
      { ...PASS, attempt: 2, atMs: 1010 },
      { ...REFUSED, attempt: 3, atMs: 2020 },
    ])
    expect(err.message.split("\n")).to.deep.equal([
      `health gate failed: ${TARGET} did not pass 3 times in a row within 5s (3 attempts in 2s, longest run 2)`,
      "last 2 attempts:",
      "  #2 +1s 200 10ms: ok",
      '      body: {"status": "healthy", "version": "1.2.3"}',
      "  #3 +2s 10ms: connection refused (ECONNREFUSED)",
      "next: nothing is listening there: check that the new release's container is running (docker ps -a) and why it stopped (docker logs)",
    ])
  })

  it("clips each attempt's timeout to what is left of the deadline", async () => {
    const timing = new FakeTiming()
    const probe = scripted(timing, [refused, pass, pass])
    await waitHealthy(probe, { intervalMs: 500, timeoutMs: 1000, healthyThreshold: 2, deadlineMs: 1200 }, timing)
    expect(probe.timeouts).to.deep.equal([1000, 690, 180])
  })

  it("turns a probe that throws into a failed attempt", async () => {
    const timing = new FakeTiming()
    let calls = 0
    const report = await waitHealthy(
      async () => {
        if (calls++ === 0) throw new Error("boom")
        return { ok: true, target: TARGET, ms: 0 }
      },
      { ...options, healthyThreshold: 1 },
      timing,
    )
    expect(report.last).to.deep.equal([
      { ok: false, target: "probe", ms: 0, failure: "error", error: "the probe threw: boom", attempt: 1, atMs: 0 },
      { ok: true, target: TARGET, ms: 0, attempt: 2, atMs: 1000 },
    ])
  })

  it("refuses options that can never pass", async () => {
    const timing = new FakeTiming()
    let message = ""
    await waitHealthy(scripted(timing, []), { ...options, healthyThreshold: 0 }, timing).catch(
      (err: Error) => (message = err.message),
    )
    expect(message).to.equal(
      'waitHealthy needs healthyThreshold ≥ 1, intervalMs ≥ 0, timeoutMs > 0 and deadlineMs > 0; got {"intervalMs":1000,"timeoutMs":500,"healthyThreshold":0,"deadlineMs":10000}',
    )
  })
})
