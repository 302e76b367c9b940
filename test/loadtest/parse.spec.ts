/**
 * wrk's own --latency report, read without Lua: exact figures from real captured runs (healthy,
 * non-2xx, timeouts, latencies in seconds, no done() script), plus wrk's units.
 */
import { expect } from "chai"
import { parseDoneLine } from "../../core/loadtest/done-script.js"
import { parseWrk } from "../../core/loadtest/parse.js"
import { timeToMs, timeToSeconds } from "../../core/loadtest/units.js"
import { refusal, wrkFixture } from "./support.js"

const noErrors = { connect: 0, read: 0, write: 0, timeout: 0, status: 0 }

describe("parseWrk: wrk's --latency text", () => {
  const cases: [string, ReturnType<typeof parseWrk>][] = [
    [
      "ok.stdout",
      {
        requests: 82730,
        durationSeconds: 2,
        rps: 41331.58,
        latencyMs: { p50: 0.223, p75: 0.257, p90: 0.366, p99: 3.55, max: 10.15, mean: 0.351 },
        errors: noErrors,
      },
    ],
    [
      "ok-no-script.stdout",
      {
        requests: 90877,
        durationSeconds: 2.1,
        rps: 43284.33,
        latencyMs: { p50: 0.218, p75: 0.223, p90: 0.278, p99: 1.75, max: 4.17, mean: 0.254 },
        errors: noErrors,
      },
    ],
    [
      "non-2xx.stdout",
      {
        requests: 94571,
        durationSeconds: 2.1,
        rps: 45043.08,
        latencyMs: { p50: 0.087, p75: 0.089, p90: 0.118, p99: 1.45, max: 6.83, mean: 0.123 },
        errors: { ...noErrors, status: 94571 },
      },
    ],
    [
      "timeouts.stdout",
      {
        requests: 4,
        durationSeconds: 3.01,
        rps: 1.33,
        latencyMs: { p50: 0, p75: 0, p90: 0, p99: 0, max: 0, mean: 0 },
        errors: { ...noErrors, timeout: 4 },
      },
    ],
    [
      "seconds.stdout",
      {
        requests: 6,
        durationSeconds: 4.02,
        rps: 1.49,
        latencyMs: { p50: 1100, p75: 1100, p90: 1100, p99: 1100, max: 1100, mean: 1100 },
        errors: noErrors,
      },
    ],
  ]
  for (const [name, expected] of cases) {
    it(`reads ${name}`, () => {
      expect(parseWrk(wrkFixture(name))).to.deep.equal(expected)
    })
  }

  it("says which line is missing and shows what wrk printed", async () => {
    const text = wrkFixture("ok.stdout").replace(/^ {5}90%.*\n/m, "")
    expect(await refusal(() => parseWrk(text))).to.deep.equal({
      code: "wrk-output",
      message: `cannot read wrk's output: no 90% latency line (was wrk run with --latency?)\n${text.trim()}`,
      limit: undefined,
    })
  })

  it("reads wrk's time units to the microsecond", async () => {
    const cases: [string, number][] = [
      ["371.06us", 0.371],
      ["0.00us", 0],
      ["1.16ms", 1.16],
      ["44.11ms", 44.11],
      ["1.02s", 1020],
      ["2.00m", 120_000],
      ["1.50h", 5_400_000],
    ]
    expect(cases.map(([text]) => [text, timeToMs(text)])).to.deep.equal(cases)
    expect([timeToSeconds("2.10s"), timeToSeconds("1.00m"), timeToSeconds("999.00ms")]).to.deep.equal([2.1, 60, 0.999])
    expect(await refusal(() => timeToMs("12 ms"))).to.deep.equal({
      code: "wrk-output",
      message: `cannot read wrk's time "12 ms"`,
      limit: undefined,
    })
  })
})

describe("parseDoneLine: the p95 script's JSON line", () => {
  it("reads every latency figure in microseconds", () => {
    expect(parseDoneLine(wrkFixture("ok.stdout"))).to.deep.equal({
      requests: 82730,
      latencyUs: { p50: 223, p75: 257, p90: 366, p95: 1095, p99: 3549, max: 10148, mean: 350.63 },
    })
    expect(parseDoneLine(wrkFixture("seconds.stdout"))).to.deep.equal({
      requests: 6,
      latencyUs: { p50: 1101253, p75: 1101253, p90: 1102242, p95: 1102242, p99: 1102242, max: 1102242, mean: 1101019 },
    })
  })

  it("is absent when wrk ran without the script", () => {
    expect(parseDoneLine(wrkFixture("ok-no-script.stdout"))).to.equal(undefined)
  })

  it("refuses a damaged line, quoting it", async () => {
    for (const json of ['{"requests":1', '{"requests":1,"latencyUs":{"p50":1}}', '{"requests":-1,"latencyUs":{}}']) {
      expect(await refusal(() => parseDoneLine(`deploy-pipeline-wrk ${json}\n`))).to.deep.equal({
        code: "wrk-output",
        message: `cannot read wrk's done() line: ${json}`,
        limit: undefined,
      })
    }
  })
})
