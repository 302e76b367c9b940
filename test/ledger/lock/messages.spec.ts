/** The lock's texts, verbatim. */
import { expect } from "chai"
import {
  describeHolder,
  forceRequiredMessage,
  formatSince,
  lockHeldMessage,
} from "../../../core/ledger/lock/messages.js"
import type { LockRow, LockStatus } from "../../../core/ledger/lock/types.js"

const NOW = new Date("2024-05-01T12:05:00Z")
const ROW: LockRow = {
  env: "staging",
  owner: { who: "alice", host: "laptop", pid: 4242 },
  since: new Date("2024-05-01T12:03:04.567Z"),
  message: "deploying sha256:abc…",
  session: { backendPid: 31337, backendStart: new Date("2024-05-01T12:03:04Z") },
}
const HELD: LockStatus = { state: "held", row: ROW }

describe("ledger/lock/messages", () => {
  it("prints since as a UTC time, with the date when it is not today", () => {
    expect(formatSince(new Date("2024-05-01T12:03:04.567Z"), NOW)).to.equal("12:03:04 UTC")
    expect(formatSince(new Date("2024-04-30T23:59:59Z"), NOW)).to.equal("2024-04-30 23:59:59 UTC")
  })

  it("names the holder of a held lock", () => {
    expect(lockHeldMessage("staging", HELD, NOW)).to.equal(
      "staging is locked by alice@laptop (pid 4242) since 12:03:04 UTC: deploying sha256:abc…; wait with --lock-wait SECONDS or ask them",
    )
  })

  it("leaves out an empty message", () => {
    expect(describeHolder({ state: "held", row: { ...ROW, message: "" } }, NOW)).to.equal(
      "alice@laptop (pid 4242) since 12:03:04 UTC",
    )
  })

  it("names a session that holds the lock without a row", () => {
    expect(lockHeldMessage("staging", { state: "unrecorded", env: "staging", backendPid: 999 }, NOW)).to.equal(
      "staging is locked by Postgres backend pid 999 that wrote no lock row (not a deploy-pipeline deployer); wait with --lock-wait SECONDS or ask them",
    )
    expect(describeHolder({ state: "unrecorded", env: "staging", backendPid: null }, NOW)).to.equal(
      "a Postgres session that wrote no lock row (not a deploy-pipeline deployer)",
    )
  })

  it("says what forcing a release does and how to ask for it", () => {
    expect(forceRequiredMessage("staging", HELD, NOW)).to.equal(
      "staging is locked by alice@laptop (pid 4242) since 12:03:04 UTC: deploying sha256:abc…. Releasing it ends that Postgres session (backend pid 31337) " +
        "and aborts whatever it is doing; to do that, run: deploy-pipeline lock release --env staging --force --reason TEXT",
    )
  })
})
