/** Milliseconds to Prometheus durations, exactly: what `for:` says is what the config said. */
import { expect } from "chai"
import { promDuration } from "../../core/alerts/duration.js"

describe("alerts/duration", () => {
  const cases: Array<[number, string]> = [
    [0, "0s"],
    [500, "500ms"],
    [30_000, "30s"],
    [90_000, "1m30s"],
    [300_000, "5m"],
    [3_600_000, "1h"],
    [5_430_500, "1h30m30s500ms"],
  ]
  for (const [ms, text] of cases) {
    it(`${ms} ms is ${text}`, () => expect(promDuration(ms)).to.equal(text))
  }

  it("refuses what is not a whole, non-negative number of milliseconds", () => {
    expect(() => promDuration(-1)).to.throw(RangeError, "-1 is not a whole, non-negative number of milliseconds")
    expect(() => promDuration(1.5)).to.throw(RangeError, "1.5 is not a whole, non-negative number of milliseconds")
  })
})
