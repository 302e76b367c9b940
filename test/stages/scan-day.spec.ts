/** The scan's cache key: the UTC day, so a day-old verdict is never reused. */
import { expect } from "chai"

import { scanDbDay } from "../../core/stages/scan.js"

describe("stages/scan: scanDbDay", () => {
  it("is the UTC calendar day, whatever the local offset of the instant", () => {
    expect(scanDbDay(new Date("2026-12-06T23:59:59.999Z"))).to.equal("2026-12-06")
    expect(scanDbDay(new Date("2026-12-07T00:00:00.000Z"))).to.equal("2026-12-07")
    expect(scanDbDay(new Date("2026-12-07T01:30:00+05:00"))).to.equal("2026-12-06")
  })
})
