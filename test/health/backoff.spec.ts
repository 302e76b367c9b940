/** The retry schedule is a pure generator: asserted as exact lists of delays. */
import { expect } from "chai"
import { backoff, take } from "../../core/health/backoff.js"

/** A "random" source that plays the given numbers in a loop. */
function sequence(...values: number[]): () => number {
  let i = 0
  return () => values[i++ % values.length]!
}

describe("health/backoff", () => {
  const cases: [string, Parameters<typeof backoff>[0], number, number[]][] = [
    [
      "doubles up to the cap",
      { intervalMs: 100, factor: 2, maxMs: 1000, jitter: 0 },
      7,
      [100, 200, 400, 800, 1000, 1000, 1000],
    ],
    ["stays fixed with factor 1", { intervalMs: 250, factor: 1, maxMs: 1000, jitter: 0 }, 4, [250, 250, 250, 250]],
    [
      "caps a first interval above the maximum",
      { intervalMs: 5000, factor: 2, maxMs: 1000, jitter: 0 },
      3,
      [1000, 1000, 1000],
    ],
    [
      "grows by a fractional factor, rounded",
      { intervalMs: 100, factor: 1.5, maxMs: 1000, jitter: 0 },
      6,
      [100, 150, 225, 338, 506, 759],
    ],
    [
      "jitters downwards by up to the fraction given",
      { intervalMs: 1000, factor: 1, maxMs: 1000, jitter: 0.5, random: sequence(0, 0.5, 0.99) },
      3,
      [1000, 750, 505],
    ],
    [
      "never exceeds the cap with jitter",
      { intervalMs: 400, factor: 2, maxMs: 1000, jitter: 0.2, random: sequence(0) },
      4,
      [400, 800, 1000, 1000],
    ],
    [
      "spreads full jitter over [0, delay]",
      { intervalMs: 100, factor: 2, maxMs: 1000, jitter: 1, random: sequence(0.25) },
      4,
      [75, 150, 300, 600],
    ],
  ]
  for (const [name, options, count, expected] of cases) {
    it(name, () => expect(take(backoff(options), count)).to.deep.equal(expected))
  }

  it("is infinite and lazy: it only calls random for the delays taken", () => {
    let calls = 0
    const schedule = backoff({ intervalMs: 1, factor: 2, maxMs: 8, jitter: 0.1, random: () => (calls++, 0) })
    take(schedule, 3)
    expect(calls).to.equal(3)
    expect(take(schedule, 2)).to.deep.equal([8, 8])
  })

  it("refuses a schedule that would shrink or misbehave", () => {
    expect(() => take(backoff({ intervalMs: 100, factor: 0.5, maxMs: 1000, jitter: 0 }), 1)).to.throw(
      RangeError,
      'backoff needs intervalMs ≥ 0, factor ≥ 1, maxMs ≥ 0 and jitter in [0, 1]; got {"intervalMs":100,"factor":0.5,"maxMs":1000,"jitter":0}',
    )
    expect(() => take(backoff({ intervalMs: 100, factor: 2, maxMs: 1000, jitter: 1.5 }), 1)).to.throw(RangeError)
  })
})
