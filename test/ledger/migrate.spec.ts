/** Ledger migrations on a real Postgres: idempotent, serialised between concurrent deployers, refusing a newer ledger. */
import { expect } from "chai"
import { LedgerTooNewError } from "../../src/ledger/errors.js"
import { migrateLedger } from "../../src/ledger/migrate.js"
import { type ScratchDatabase, createScratchDatabase } from "../helpers/postgres.js"

describe("ledger/migrate", () => {
  let db: ScratchDatabase
  beforeEach(async () => (db = await createScratchDatabase("migrate")))
  afterEach(async () => db.drop())

  async function tables(schema: string): Promise<string[]> {
    const client = await db.connect()
    const { rows } = await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY 1", [schema])
    return rows.map((row) => row.name)
  }

  it("creates the schema, its tables and schema_migrations, then does nothing on the next run", async () => {
    const client = await db.connect()
    expect(await migrateLedger(client, "deploy_pipeline")).to.deep.equal([1, 2])
    expect(await migrateLedger(client, "deploy_pipeline")).to.deep.equal([])
    expect(await tables("deploy_pipeline")).to.deep.equal(["deploys", "lock_events", "locks", "schema_migrations"])
    const { rows } = await client.query("SELECT version, name FROM deploy_pipeline.schema_migrations ORDER BY version")
    expect(rows).to.deep.equal([{ version: 1, name: "deploys" }, { version: 2, name: "locks" }])
  })

  it("lets exactly one of several concurrent deployers apply the migrations", async () => {
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => db.connect()))
    const results = await Promise.all(clients.map((client) => migrateLedger(client, "deploy_pipeline")))
    expect(results.map((applied) => applied.join(",")).sort()).to.deep.equal(["", "", "", "", "1,2"])
    expect(await tables("deploy_pipeline")).to.deep.equal(["deploys", "lock_events", "locks", "schema_migrations"])
  })

  it("quotes a schema name that needs it", async () => {
    const client = await db.connect()
    expect(await migrateLedger(client, "deploy-ledger")).to.deep.equal([1, 2])
    expect(await tables("deploy-ledger")).to.deep.equal(["deploys", "lock_events", "locks", "schema_migrations"])
  })

  it("refuses a ledger migrated by a newer deploy-pipeline, and changes nothing", async () => {
    const client = await db.connect()
    await migrateLedger(client, "deploy_pipeline")
    await client.query("INSERT INTO deploy_pipeline.schema_migrations (version, name) VALUES (3, 'from the future')")
    const error = await migrateLedger(client, "deploy_pipeline").then(() => null, (e: unknown) => e)
    expect(error).to.be.instanceOf(LedgerTooNewError)
    expect((error as LedgerTooNewError).message).to.equal(
      'the ledger schema "deploy_pipeline" is at version 3, but this deploy-pipeline knows versions up to 2; upgrade deploy-pipeline before deploying',
    )
    expect((error as LedgerTooNewError).code).to.equal("LEDGER_TOO_NEW")
    const { rows } = await client.query("SELECT count(*)::int AS n FROM deploy_pipeline.schema_migrations")
    expect(rows).to.deep.equal([{ n: 3 }])
  })
})
