/** Version parsing for the pg_dump-older-than-server check. */
import { expect } from "chai"
import { parseToolMajor, serverMajor } from "../../core/backup/version.js"

describe("backup/version", () => {
  it("reads the major version pg_dump prints", () => {
    expect([
      parseToolMajor("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n"),
      parseToolMajor("pg_dump (PostgreSQL) 17.2\n"),
      parseToolMajor("pg_dump (PostgreSQL) 18beta1\n"),
      parseToolMajor("pg_dump (PostgreSQL) 9.6.24\n"),
      parseToolMajor("pg_dump: command not found\n"),
    ]).to.deep.equal([15, 17, 18, 9, undefined])
  })

  it("reads the major version from server_version_num", () => {
    expect([serverMajor(150020), serverMajor(170002), serverMajor(90624)]).to.deep.equal([15, 17, 9])
  })
})
