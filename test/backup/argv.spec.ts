/** pg_dump and pg_restore command lines, whole; passwords only in the environment. */
import { expect } from "chai"
import { pgDumpArgv, pgRestoreArgv, pgRestoreListArgv, versionArgv } from "../../core/backup/argv.js"
import { connectionExec } from "../../core/backup/connection.js"

const PROD = { host: "db", port: 5432, user: "webapp", database: "webapp", password: "s3cret!" }

describe("backup/argv", () => {
  it("builds pg_dump: custom format, compression 6, lock wait timeout, no owner, no password prompt", () => {
    expect(
      pgDumpArgv(PROD, {
        file: "/var/backups/x.dump.partial",
        lockWaitTimeoutMs: 30000,
        snapshot: "00000003-0000001B-1",
      }),
    ).to.deep.equal([
      "pg_dump",
      "-Fc",
      "-Z6",
      "--lock-wait-timeout=30000",
      "--no-owner",
      "--snapshot=00000003-0000001B-1",
      "--host=db",
      "--port=5432",
      "--username=webapp",
      "--no-password",
      "--file=/var/backups/x.dump.partial",
      "--dbname=webapp",
    ])
    expect(pgDumpArgv(PROD, { file: "f", lockWaitTimeoutMs: 500 }, "/usr/lib/postgresql/17/bin/pg_dump")).to.deep.equal(
      [
        "/usr/lib/postgresql/17/bin/pg_dump",
        "-Fc",
        "-Z6",
        "--lock-wait-timeout=500",
        "--no-owner",
        "--host=db",
        "--port=5432",
        "--username=webapp",
        "--no-password",
        "--file=f",
        "--dbname=webapp",
      ],
    )
  })

  it("builds pg_restore: one transaction, stop at the first error, no owners or grants", () => {
    expect(pgRestoreArgv({ ...PROD, database: "dp_verify_x" }, { file: "/b/x.dump" })).to.deep.equal([
      "pg_restore",
      "--exit-on-error",
      "--single-transaction",
      "--no-owner",
      "--no-privileges",
      "--host=db",
      "--port=5432",
      "--username=webapp",
      "--no-password",
      "--dbname=dp_verify_x",
      "/b/x.dump",
    ])
    expect(pgRestoreArgv(PROD, { file: "/b/x.dump", clean: true, excludeSchemas: ["deploy_pipeline"] })).to.deep.equal([
      "pg_restore",
      "--exit-on-error",
      "--single-transaction",
      "--no-owner",
      "--no-privileges",
      "--clean",
      "--if-exists",
      "--exclude-schema=deploy_pipeline",
      "--host=db",
      "--port=5432",
      "--username=webapp",
      "--no-password",
      "--dbname=webapp",
      "/b/x.dump",
    ])
  })

  it("builds the listing and version probes", () => {
    expect(pgRestoreListArgv("/b/x.dump")).to.deep.equal(["pg_restore", "--list", "/b/x.dump"])
    expect(versionArgv("pg_dump")).to.deep.equal(["pg_dump", "--version"])
  })

  it("never puts the password in argv nor in the exec options; the tool asks the executor for secret PGPASSWORD, or gets a .pgpass path", () => {
    const argv = [
      ...pgDumpArgv(PROD, { file: "f", lockWaitTimeoutMs: 1 }),
      ...pgRestoreArgv(PROD, { file: "f", clean: true }),
    ]
    expect(argv.filter((arg) => arg.includes("s3cret"))).to.deep.equal([])
    expect(connectionExec(PROD)).to.deep.equal({ secretEnv: ["PGPASSWORD"] })
    expect(connectionExec({ ...PROD, password: undefined, passfile: "/run/secrets/pgpass" })).to.deep.equal({
      env: { PGPASSFILE: "/run/secrets/pgpass" },
    })
    expect(connectionExec({ host: "db", port: 5432, user: "u", database: "d" })).to.deep.equal({})
  })
})
