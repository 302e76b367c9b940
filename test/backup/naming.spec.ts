/** Backup ids, file names and scratch database names. */
import { expect } from "chai"
import {
  backupId,
  backupStamp,
  dumpFileName,
  idFromDumpFile,
  manifestFileName,
  scratchDatabaseName,
} from "../../core/backup/naming.js"

const SHA = "3f2a9c1b0d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeef"

describe("backup/naming", () => {
  it("names a backup by environment, UTC time and content", () => {
    expect(backupStamp(new Date("2024-05-01T12:03:04.567Z"))).to.equal("20240501T120304Z")
    expect(backupId("production", new Date("2024-05-01T12:03:04.567Z"), SHA)).to.equal(
      "production-20240501T120304Z-3f2a9c1b0d4e",
    )
    expect([dumpFileName("p-1"), manifestFileName("p-1")]).to.deep.equal(["p-1.dump", "p-1.json"])
  })

  it("recognises only this environment's dumps", () => {
    expect([
      idFromDumpFile("prod", "prod-20240501T120304Z-3f2a9c1b0d4e.dump"),
      idFromDumpFile("prod", "prod-eu-20240501T120304Z-3f2a9c1b0d4e.dump"),
      idFromDumpFile("prod-eu", "prod-eu-20240501T120304Z-3f2a9c1b0d4e.dump"),
      idFromDumpFile("prod", "prod-20240501T120304Z-3f2a9c1b0d4e.json"),
      idFromDumpFile("prod", ".prod-20240501T120304Z.dump.partial"),
    ]).to.deep.equal([
      "prod-20240501T120304Z-3f2a9c1b0d4e",
      undefined,
      "prod-eu-20240501T120304Z-3f2a9c1b0d4e",
      undefined,
      undefined,
    ])
  })

  it("makes scratch database names plain identifiers of at most 63 bytes", () => {
    expect(scratchDatabaseName("prod-eu", SHA, "a1b2c3")).to.equal("dp_verify_prod_eu_3f2a9c1b0d4e_a1b2c3")
    expect(scratchDatabaseName("a-very-long-environment-name-indeed", SHA, "a1b2c3")).to.equal(
      "dp_verify_a_very_long_environm_3f2a9c1b0d4e_a1b2c3",
    )
    expect(scratchDatabaseName("x".repeat(63), SHA, "a1b2c3")).to.have.length(50)
  })
})
