/** Target versions from --pg-version and from server_version_num. */
import { expect } from "chai"
import { formatPgVersion, fromServerVersionNum, parsePgVersion } from "../../core/migrations/pg-version.js"

describe("migrations/pg-version", () => {
  it("reads majors and major.minor from 10 to 19", () => {
    expect(parsePgVersion("15")).to.deep.equal({ major: 15, minor: 0 })
    expect(parsePgVersion(" 14.3 ")).to.deep.equal({ major: 14, minor: 3 })
    expect(["9.6", "20", "fifteen", "15.x", ""].map(parsePgVersion)).to.deep.equal([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })
  it("reads server_version_num", () => {
    expect(fromServerVersionNum(150020)).to.deep.equal({ major: 15, minor: 20 })
    expect(formatPgVersion(fromServerVersionNum(120003))).to.equal("12.3")
  })
})
