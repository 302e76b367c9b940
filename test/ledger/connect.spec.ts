/**
 * The ledger's database unreachable (issue #15, item 5), against the real PostgreSQL: a closed
 * port, a database that does not exist, and a whole `status` and `deploy` through the CLI's own
 * engine, which must fail with the ledger named, its address and what to check, never a bare
 * `connect ECONNREFUSED …`, and leave the Docker host alone.
 */
import { expect } from "chai"
import { statusCommand } from "../../core/commands/status.js"
import { deployCommand } from "../../core/commands/deploy.js"
import { OPERATIONS } from "../../core/commands/operations.js"
import { localEngine } from "../../core/cli/engine.js"
import { LedgerUnreachableError, connectLedgerClient, ledgerUnreachableMessage } from "../../core/ledger/connect.js"
import { TEST_SECRET_VALUES, freePort, testEnvironment } from "../helpers/deploy-env.js"
import { PG } from "../helpers/postgres.js"

const NEXT =
  "next: check that PostgreSQL runs there and takes connections from this machine, that ledger.database exists and that POSTGRES_PASSWORD is current; " +
  "the address is services.postgres.deployer where set, else services.postgres (under Dagger: --postgres)"

async function refusal(work: Promise<unknown>): Promise<unknown> {
  try {
    await work
  } catch (error) {
    return error
  }
  throw new Error("expected a refusal")
}

describe("ledger/connect: the ledger's database unreachable (real PostgreSQL)", function () {
  this.timeout(60_000)

  it("a closed port: the database, the address, the errno in words, and what to check", async () => {
    const port = await freePort()
    const address = { host: "127.0.0.1", port, user: PG.user, database: "webapp" }
    const error = await refusal(connectLedgerClient(address, undefined))
    expect(error).to.be.instanceOf(LedgerUnreachableError)
    expect((error as LedgerUnreachableError).code).to.equal("ledger-unreachable")
    expect((error as Error).message).to.equal(
      `the ledger's database webapp at 127.0.0.1:${port} (user ${PG.user}) did not accept a connection: connection refused (ECONNREFUSED)\n${NEXT}`,
    )
  })

  it("a database that does not exist: PostgreSQL's own words, in the same frame", async () => {
    const address = { host: PG.host, port: PG.port, user: PG.user, database: "dp_no_such_ledger" }
    const error = await refusal(connectLedgerClient(address, undefined))
    expect((error as Error).message).to.equal(
      ledgerUnreachableMessage(address, 'database "dp_no_such_ledger" does not exist'),
    )
  })

  it("status and deploy through the CLI's engine fail with code ledger-unreachable, and start no container", async () => {
    Object.assign(process.env, TEST_SECRET_VALUES) // the secrets the test environments name, as deployFixture sets them
    const port = await freePort()
    const env = await testEnvironment({
      name: "ledgerdown",
      app: "dpledgerdown",
      ledgerDatabase: "webapp",
      proxyImage: "unused",
      overrides: { services: { postgres: { port } }, notify: { enabled: false } },
    })
    const side = { engine: () => localEngine(env, () => undefined), ops: OPERATIONS, debug: false }
    const expected = `the ledger's database webapp at ${PG.host}:${port} (user ${PG.user}) did not accept a connection: connection refused (ECONNREFUSED)\n${NEXT}`
    expect(await statusCommand(env, { json: false }, side)).to.deep.equal({
      ok: false,
      code: "ledger-unreachable",
      text: expected,
    })
    const deployed = await deployCommand(env, { image: `sha256:${"c".repeat(64)}`, requestedBy: "spec" }, side)
    expect(deployed).to.deep.equal({ ok: false, code: "ledger-unreachable", text: expected })
  })
})
