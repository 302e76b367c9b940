/**
 * A finished wrk run as figures and as the `load-test` Outcome: the whole text and JSON for real
 * captured runs, the verdict (errors or no completed request fail it), and wrk's own failures.
 */
import { expect } from "chai"
import { loadTestCommand, loadTestRefused } from "../../core/commands/load-test.js"
import { LoadTestError } from "../../core/loadtest/errors.js"
import { readLoadTest, readWrkRun } from "../../core/loadtest/report.js"
import type { WrkSettings } from "../../core/loadtest/settings.js"
import { refusal, wrkFixture } from "./support.js"

const settings: WrkSettings = {
  url: "http://127.0.0.1:8080/",
  connections: 10,
  threads: 2,
  durationSeconds: 2,
  timeoutSeconds: 2,
}
const ran = (stdout: string) => ({ exitCode: 0, stdout, stderr: "" })
const text = { json: false }
const json = { json: true }

describe("load test report and command", () => {
  it("combines wrk's text (requests, time, rps, errors) with the done() line's latencies", () => {
    expect(readLoadTest(settings, wrkFixture("ok.stdout"))).to.deep.equal({
      target: "http://127.0.0.1:8080/",
      settings: { connections: 10, threads: 2, durationSeconds: 2, timeoutSeconds: 2 },
      requests: 82730,
      durationSeconds: 2,
      rps: 41331.58,
      latencyMs: { p50: 0.223, p75: 0.257, p90: 0.366, p95: 1.095, p99: 3.549, max: 10.148, mean: 0.351 },
      errors: { connect: 0, read: 0, write: 0, timeout: 0, status: 0, total: 0 },
    })
  })

  it("keeps percentiles ordered where wrk's table rounds them (p95 never above p99)", () => {
    const { latencyMs } = readLoadTest(settings, wrkFixture("seconds.stdout"))
    expect(latencyMs).to.deep.equal({
      p50: 1101.253,
      p75: 1101.253,
      p90: 1102.242,
      p95: 1102.242,
      p99: 1102.242,
      max: 1102.242,
      mean: 1101.019,
    })
  })

  it("refuses output without the done() line, or from two different runs", async () => {
    expect(await refusal(() => readLoadTest(settings, wrkFixture("ok-no-script.stdout")))).to.deep.equal({
      code: "wrk-output",
      message: "wrk printed no p95 line: it ran without deploy-pipeline's done() script (--script)",
      limit: undefined,
    })
    const mixed = wrkFixture("ok.stdout").replace('{"requests":82730', '{"requests":5')
    expect(await refusal(() => readLoadTest(settings, mixed))).to.deep.equal({
      code: "wrk-output",
      message: "wrk's report says 82730 requests but its done() line says 5; the output is not from one run",
      limit: undefined,
    })
  })

  it("text: a healthy run succeeds", () => {
    expect(loadTestCommand(settings, ran(wrkFixture("ok.stdout")), text)).to.deep.equal({
      ok: true,
      text: [
        "load test of http://127.0.0.1:8080/: 10 connections on 2 threads for 2 s (timeout 2 s)",
        "  requests    82730 in 2.00 s",
        "  rps         41331.58",
        "  latency ms  p50 0.223  p75 0.257  p90 0.366  p95 1.095  p99 3.549  max 10.148  mean 0.351",
        "  errors      0",
      ].join("\n"),
    })
  })

  it("text: non-2xx responses fail it, with the figures", () => {
    expect(loadTestCommand({ ...settings, connections: 4 }, ran(wrkFixture("non-2xx.stdout")), text)).to.deep.equal({
      ok: false,
      code: "load-test-errors",
      text: [
        "load test of http://127.0.0.1:8080/: 4 connections on 2 threads for 2 s (timeout 2 s)",
        "  requests    94571 in 2.10 s",
        "  rps         45043.08",
        "  latency ms  p50 0.087  p75 0.089  p90 0.118  p95 0.142  p99 1.447  max 6.829  mean 0.123",
        "  errors      94571 (non-2xx/3xx 94571)",
        "load test failed: 94571 errors",
      ].join("\n"),
    })
  })

  it("text: timeouts fail it", () => {
    const outcome = loadTestCommand(
      { ...settings, connections: 4, durationSeconds: 3, timeoutSeconds: 1 },
      ran(wrkFixture("timeouts.stdout")),
      text,
    )
    expect(outcome.ok).to.equal(false)
    expect(outcome.text.split("\n").slice(-2)).to.deep.equal([
      "  errors      4 (timeout 4)",
      "load test failed: 4 errors",
    ])
  })

  it("text: no completed request fails it", () => {
    const none = wrkFixture("timeouts.stdout")
      .replace("4 requests in", "0 requests in")
      .replace('{"requests":4', '{"requests":0')
      .replace(/^ {2}Socket errors.*\n/m, "")
    const outcome = loadTestCommand(settings, ran(none), text)
    expect(outcome.ok).to.equal(false)
    expect(outcome.text.split("\n").slice(-2)).to.deep.equal([
      "  errors      0",
      "load test failed: no request completed in 3.01 s",
    ])
  })

  it("JSON: the report's fields, ok or not", () => {
    const outcome = loadTestCommand(settings, ran(wrkFixture("ok.stdout")), json)
    expect([outcome.ok, outcome.json]).to.deep.equal([true, true])
    expect(outcome.text).to.equal(`{
  "target": "http://127.0.0.1:8080/",
  "settings": {
    "connections": 10,
    "threads": 2,
    "durationSeconds": 2,
    "timeoutSeconds": 2
  },
  "requests": 82730,
  "durationSeconds": 2,
  "rps": 41331.58,
  "latencyMs": {
    "p50": 0.223,
    "p75": 0.257,
    "p90": 0.366,
    "p95": 1.095,
    "p99": 3.549,
    "max": 10.148,
    "mean": 0.351
  },
  "errors": {
    "connect": 0,
    "read": 0,
    "write": 0,
    "timeout": 0,
    "status": 0,
    "total": 0
  }
}`)
    const failed = loadTestCommand(settings, ran(wrkFixture("non-2xx.stdout")), json)
    expect([failed.ok, failed.json]).to.deep.equal([false, true])
    expect(JSON.parse(failed.text).errors).to.deep.equal({
      connect: 0,
      read: 0,
      write: 0,
      timeout: 0,
      status: 94571,
      total: 94571,
    })
  })

  it("wrk's own failure: its exit code and its words", () => {
    const refused = { exitCode: 1, stdout: "", stderr: wrkFixture("refused.stderr") }
    const url = "http://127.0.0.1:1/"
    expect(loadTestCommand({ ...settings, url }, refused, text)).to.deep.equal({
      ok: false,
      code: "wrk-failed",
      text: "wrk exited 1 against http://127.0.0.1:1/: unable to connect to 127.0.0.1:1 Connection refused",
    })
    expect(loadTestCommand({ ...settings, url }, refused, json)).to.deep.equal({
      ok: false,
      json: true,
      text: `{
  "error": {
    "code": "wrk-failed",
    "message": "wrk exited 1 against http://127.0.0.1:1/: unable to connect to 127.0.0.1:1 Connection refused"
  }
}`,
    })
  })

  it("wrk missing (exit 127, as the local executor reports it): says how to install it", async () => {
    expect(
      await refusal(() => readWrkRun(settings, { exitCode: 127, stdout: "", stderr: "wrk: ENOENT\n" })),
    ).to.deep.equal({
      code: "wrk-missing",
      message: "wrk is not installed here: run ci/setup/wrk.sh as root (Debian: apt-get install -y wrk)",
      limit: undefined,
    })
  })

  it("a refused request becomes a failed Outcome; anything else is rethrown", () => {
    expect(
      loadTestRefused(
        new LoadTestError("over-limit", "--users 1001 is over the limit of 1000 connections; load tests stay bounded", {
          limit: 1000,
        }),
        text,
      ),
    ).to.deep.equal({
      ok: false,
      code: "over-limit",
      text: "--users 1001 is over the limit of 1000 connections; load tests stay bounded",
    })
    const bug = new TypeError("not a load test error")
    expect(() => loadTestRefused(bug, text)).to.throw(bug)
  })
})
