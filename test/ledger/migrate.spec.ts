/** Ledger migrations on a real Postgres: idempotent, serialised between concurrent deployers, refusing a newer ledger. */
import { expect } from "chai"
import { LedgerTooNewError } from "../../core/ledger/errors.js"
import { migrateLedger } from "../../core/ledger/migrate.js"
import { LEDGER_MIGRATIONS } from "../../core/ledger/migrations.js"
import { type ScratchDatabase, createScratchDatabase } from "../helpers/postgres.js"

describe("ledger/migrate", () => {
  let db: ScratchDatabase
  beforeEach(async () => (db = await createScratchDatabase("migrate")))
  afterEach(async () => db.drop())

  async function tables(schema: string): Promise<string[]> {
    const client = await db.connect()
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY 1",
      [schema],
    )
    return rows.map((row) => row.name)
  }

  it("creates the schema, its tables and schema_migrations, then does nothing on the next run", async () => {
    const client = await db.connect()
    expect(await migrateLedger(client, "deploy_pipeline")).to.deep.equal([1, 2, 3, 4])
    expect(await migrateLedger(client, "deploy_pipeline")).to.deep.equal([])
    expect(await tables("deploy_pipeline")).to.deep.equal([
      "deploys",
      "lock_events",
      "locks",
      "rehearsals",
      "schema_migrations",
    ])
    const { rows } = await client.query("SELECT version, name FROM deploy_pipeline.schema_migrations ORDER BY version")
    expect(rows).to.deep.equal([
      { version: 1, name: "deploys" },
      { version: 2, name: "locks" },
      { version: 3, name: "restore action" },
      { version: 4, name: "rehearsals" },
    ])
  })

  it("upgrades a ledger from an earlier release in place: its rows stay, and restores can be recorded", async () => {
    const client = await db.connect()
    await client.query("CREATE SCHEMA deploy_pipeline")
    await client.query(
      "CREATE TABLE deploy_pipeline.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    )
    for (const migration of LEDGER_MIGRATIONS.slice(0, 2)) {
      await client.query(migration.sql('"deploy_pipeline"'))
      await client.query("INSERT INTO deploy_pipeline.schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ])
    }
    const row = (action: string) =>
      client.query(
        `INSERT INTO deploy_pipeline.deploys (env, action, requested_by, image_ref, image_digest, started_at, owner_who, owner_host, owner_pid, lock_backend_pid, lock_backend_start)
       VALUES ('production', $1, 'spec', 'img', 'sha256:${"a".repeat(64)}', now(), 'spec', 'host', 1, 1, now())`,
        [action],
      )
    await row("deploy")
    expect(
      await row("restore").then(
        () => "inserted",
        (e: Error) => e.message,
      ),
    ).to.match(/violates check constraint "deploys_action_check"/)
    expect(await migrateLedger(client, "deploy_pipeline")).to.deep.equal([3, 4])
    await row("restore")
    const { rows } = await client.query("SELECT action FROM deploy_pipeline.deploys ORDER BY id")
    expect(rows).to.deep.equal([{ action: "deploy" }, { action: "restore" }])
  })

  it("lets exactly one of several concurrent deployers apply the migrations", async () => {
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => db.connect()))
    const results = await Promise.all(clients.map((client) => migrateLedger(client, "deploy_pipeline")))
    expect(results.map((applied) => applied.join(",")).sort()).to.deep.equal(["", "", "", "", "1,2,3,4"])
    expect(await tables("deploy_pipeline")).to.deep.equal([
      "deploys",
      "lock_events",
      "locks",
      "rehearsals",
      "schema_migrations",
    ])
  })

  it("quotes a schema name that needs it", async () => {
    const client = await db.connect()
    expect(await migrateLedger(client, "deploy-ledger")).to.deep.equal([1, 2, 3, 4])
    expect(await tables("deploy-ledger")).to.deep.equal([
      "deploys",
      "lock_events",
      "locks",
      "rehearsals",
      "schema_migrations",
    ])
  })

  it("refuses a ledger migrated by a newer deploy-pipeline, and changes nothing", async () => {
    const client = await db.connect()
    await migrateLedger(client, "deploy_pipeline")
    await client.query("INSERT INTO deploy_pipeline.schema_migrations (version, name) VALUES (5, 'from the future')")
    const error = await migrateLedger(client, "deploy_pipeline").then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(LedgerTooNewError)
    expect((error as LedgerTooNewError).message).to.equal(
      'the ledger schema "deploy_pipeline" is at version 5, but this deploy-pipeline knows versions up to 4; upgrade deploy-pipeline before deploying',
    )
    expect((error as LedgerTooNewError).code).to.equal("ledger-too-new")
    const { rows } = await client.query("SELECT count(*)::int AS n FROM deploy_pipeline.schema_migrations")
    expect(rows).to.deep.equal([{ n: 5 }])
  })
})
