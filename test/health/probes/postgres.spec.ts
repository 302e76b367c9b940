/** The Postgres probe against the real server on 127.0.0.1:5432, a closed port and a server that never answers. */
import { expect } from "chai"
import { postgresProbe } from "../../../core/health/probes/postgres.js"
import { closedPort, requireService, silentServer, withoutMs } from "../support/net.js"

describe("health/probes/postgres", () => {
  before(() => requireService("Postgres", 5432))

  it("passes: connects and runs SELECT 1", async () => {
    const result = await postgresProbe({ host: "127.0.0.1", port: 5432, user: "postgres", database: "postgres" })({
      timeoutMs: 3000,
    })
    expect(withoutMs(result)).to.deep.equal({ ok: true, target: "postgres://postgres@127.0.0.1:5432/postgres" })
  })

  it("fails on a database that does not exist, as a credentials/config problem", async () => {
    const result = await postgresProbe({
      host: "127.0.0.1",
      port: 5432,
      user: "postgres",
      database: "no_such_db_for_probe",
    })({ timeoutMs: 3000 })
    expect(withoutMs(result)).to.deep.equal({
      ok: false,
      target: "postgres://postgres@127.0.0.1:5432/no_such_db_for_probe",
      failure: "auth",
      error: 'database "no_such_db_for_probe" does not exist (3D000)',
    })
  })

  it("fails at once on a closed port", async () => {
    const port = await closedPort()
    const result = await postgresProbe({ host: "127.0.0.1", port, user: "postgres", database: "postgres" })({
      timeoutMs: 3000,
    })
    expect(withoutMs(result)).to.deep.equal({
      ok: false,
      target: `postgres://postgres@127.0.0.1:${port}/postgres`,
      failure: "refused",
      error: "connection refused (ECONNREFUSED)",
    })
    expect(result.ms).to.be.below(500)
  })

  it("fails within the timeout when the server accepts and never answers", async () => {
    const silent = await silentServer()
    try {
      const result = await postgresProbe({
        host: "127.0.0.1",
        port: silent.port,
        user: "postgres",
        database: "postgres",
      })({ timeoutMs: 300 })
      expect(withoutMs(result)).to.deep.equal({
        ok: false,
        target: `postgres://postgres@127.0.0.1:${silent.port}/postgres`,
        failure: "timeout",
        error: "no answer within 300ms",
      })
      expect(result.ms).to.be.within(295, 700)
    } finally {
      await silent.close()
    }
  })
})
