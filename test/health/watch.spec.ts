/** The post-switch watch under a fake clock: exact reports for a quiet window, blips and sustained failures. */
import { expect } from "chai"
import { watch } from "../../core/health/watch.js"
import { FakeTiming, pass, scripted, type Step, TARGET } from "./support/fake-timing.js"

const badGateway: Step = {
  ok: false,
  status: 502,
  body: "<html>Bad Gateway</html>",
  failure: "status",
  error: "expected status 200, got 502",
  takes: 10,
}
const PASS = { ok: true, target: TARGET, ms: 10, status: 200, body: '{"status": "healthy", "version": "1.2.3"}' }
const BAD = {
  ok: false,
  target: TARGET,
  ms: 10,
  status: 502,
  body: "<html>Bad Gateway</html>",
  failure: "status",
  error: "expected status 200, got 502",
}

describe("health/watch", () => {
  it("reports ok after probing through the window", async () => {
    const timing = new FakeTiming()
    const probe = scripted(timing, [pass, pass, pass])
    const report = await watch(probe, { windowMs: 3000, intervalMs: 1000, failureThreshold: 2 }, timing)
    expect(report).to.deep.equal({
      ok: true,
      target: TARGET,
      attempts: 3,
      elapsedMs: 2030,
      failures: 0,
      last: [
        { ...PASS, attempt: 1, atMs: 0 },
        { ...PASS, attempt: 2, atMs: 1010 },
        { ...PASS, attempt: 3, atMs: 2020 },
      ],
    })
    expect(timing.sleeps).to.deep.equal([1000, 1000])
    expect(probe.timeouts).to.deep.equal([1000, 1000, 1000])
  })

  it("counts an isolated failure without acting on it", async () => {
    const timing = new FakeTiming()
    const report = await watch(
      scripted(timing, [pass, badGateway, pass, pass]),
      { windowMs: 3500, intervalMs: 1000, failureThreshold: 2, timeoutMs: 5000 },
      timing,
    )
    expect([report.ok, report.attempts, report.failures]).to.deep.equal([true, 4, 1])
  })

  it("reports the first sustained failure, when it began, and what to check", async () => {
    const timing = new FakeTiming()
    const probe = scripted(timing, [pass, pass, badGateway, badGateway])
    const report = await watch(
      probe,
      { windowMs: 10_000, intervalMs: 1000, failureThreshold: 2, timeoutMs: 5000 },
      timing,
    )
    expect(report).to.deep.equal({
      ok: false,
      target: TARGET,
      attempts: 4,
      elapsedMs: 3040,
      failures: 2,
      failedAtMs: 2020,
      next: "the app failed or reports a failing dependency: its body and logs (docker logs) say which",
      last: [
        { ...PASS, attempt: 1, atMs: 0 },
        { ...PASS, attempt: 2, atMs: 1010 },
        { ...BAD, attempt: 3, atMs: 2020 },
        { ...BAD, attempt: 4, atMs: 3030 },
      ],
    })
    expect(probe.timeouts).to.deep.equal([5000, 5000, 5000, 5000])
  })

  it("follows a failing run still open when the window ends to its end: a failure", async () => {
    const timing = new FakeTiming()
    const report = await watch(
      scripted(timing, [pass, pass, badGateway, badGateway, badGateway]),
      { windowMs: 2500, intervalMs: 1000, failureThreshold: 3 },
      timing,
    )
    expect(report.ok).to.equal(false)
    expect([report.attempts, report.elapsedMs, report.ok ? 0 : report.failedAtMs]).to.deep.equal([5, 4050, 2020])
  })

  it("follows a failing run still open when the window ends to its end: a recovery", async () => {
    const timing = new FakeTiming()
    const report = await watch(
      scripted(timing, [pass, pass, badGateway, pass]),
      { windowMs: 2500, intervalMs: 1000, failureThreshold: 3 },
      timing,
    )
    expect([report.ok, report.attempts, report.elapsedMs, report.failures]).to.deep.equal([true, 4, 3040, 1])
  })
})
