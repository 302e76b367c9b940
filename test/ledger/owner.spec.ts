/** Owners read as who@host (pid N), taken from this process. */
import { expect } from "chai"
import { hostname } from "node:os"
import { describeOwner, localOwner } from "../../core/ledger/owner.js"

describe("ledger/owner", () => {
  it("describes an owner as who@host (pid N)", () => {
    expect(describeOwner({ who: "alice", host: "laptop", pid: 4242 })).to.equal("alice@laptop (pid 4242)")
  })

  it("takes host and pid from this process, and who from the caller when given", () => {
    expect(localOwner("ci")).to.deep.equal({ who: "ci", host: hostname(), pid: process.pid })
    expect(localOwner().who).to.be.a("string").and.have.length.greaterThan(0)
  })
})
