/** A deadline is a value computed from `now`: exact at its edges. */
import { expect } from "chai"
import { deadline } from "../../core/health/deadline.js"

describe("health/deadline", () => {
  const d = deadline(1000, 500)

  it("knows when it started, ends and how long it is", () => {
    expect([d.startedAt, d.at, d.budgetMs]).to.deep.equal([1000, 1500, 500])
  })

  it("counts what is left, never below zero", () => {
    expect([d.remaining(1000), d.remaining(1200), d.remaining(1500), d.remaining(9000)]).to.deep.equal([500, 300, 0, 0])
    expect([d.elapsed(1000), d.elapsed(1200)]).to.deep.equal([0, 200])
  })

  it("expires at the deadline itself", () => {
    expect([d.expired(1499), d.expired(1500), d.expired(1501)]).to.deep.equal([false, true, true])
  })

  it("allows only what starts strictly before the deadline", () => {
    expect([d.allows(1200, 299), d.allows(1200, 300), d.allows(1200, 301)]).to.deep.equal([true, false, false])
  })
})
