/**
 * The deploy's migrations gate reads the target database's schema through the deployer's view of
 * Postgres (issue #13, defect 3): a binary-coercible varchar(100) → varchar(200) on a real table
 * passes, int → bigint on a populated table is still refused, and a schema that cannot be read
 * is said, with the analysis falling back to no schema. Then the same through deploy() on the
 * real Docker engine: the refusal changes nothing, the widening deploys and the ledger says
 * which schema the gate used.
 */
import { expect } from "chai"
import { deploy } from "../../core/deploy/deploy.js"
import { DeployError } from "../../core/deploy/errors.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { migrationGate } from "../../core/deploy/migration-gate.js"
import { readTargetSchema } from "../../core/deploy/target-schema.js"
import type { EnvironmentConfig } from "../../core/config/schema.js"
import { PROTECTED_TIER_SECRETS, testEnvironment } from "../helpers/deploy-env.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { PG, type ScratchDatabase, createScratchDatabase } from "../helpers/postgres.js"

const sqlmigrate = (path: string, what: string, statement: string) => ({
  path,
  content: `BEGIN;\n--\n-- ${what}\n--\n${statement}\nCOMMIT;\n`,
})
const WIDEN = sqlmigrate(
  "0002_widen_title.sql",
  "Alter field title on book",
  'ALTER TABLE "library_book" ALTER COLUMN "title" TYPE varchar(200);',
)
const BIGINT = sqlmigrate(
  "0003_pages_bigint.sql",
  "Alter field pages on book",
  'ALTER TABLE "library_book" ALTER COLUMN "pages" TYPE bigint USING "pages"::bigint;',
)
const REWRITE_FIX =
  "Change it in a binary-coercible way (a longer varchar, varchar → text, more numeric precision); otherwise add a new column, write both, backfill in batches, switch reads, then drop the old column"
const HEADLINE =
  'staging: 1 migration finding at error or above; fix them, or deploy with --allow-unsafe-migrations "<reason>" (recorded)'

async function bookTable(db: ScratchDatabase): Promise<void> {
  const client = await db.connect()
  await client.query(
    "CREATE TABLE library_book (id bigserial PRIMARY KEY, title varchar(100) NOT NULL, pages integer NOT NULL)",
  )
  await client.query("INSERT INTO library_book (title, pages) SELECT 'book ' || g, g FROM generate_series(1, 1000) g")
  await client.query("ANALYZE library_book")
}

describe("deploy/migration-gate against the database's schema (real Postgres)", () => {
  let db: ScratchDatabase
  let config: EnvironmentConfig
  const deps = { secretValues: {} }
  before(async () => {
    db = await createScratchDatabase("gateschema")
    await bookTable(db)
    config = (
      await testEnvironment({
        name: "staging",
        tier: "staging",
        app: "gateschema",
        ledgerDatabase: db.name,
        proxyImage: "unused",
        overrides: { secrets: PROTECTED_TIER_SECRETS },
      })
    ).config
  })
  after(() => db?.drop())

  it("passes varchar(100) → varchar(200), which the schema shows to be binary-coercible", async () => {
    expect(
      await migrationGate("staging", config, [WIDEN], undefined, () => readTargetSchema(config, deps)),
    ).to.deep.equal({
      blocked: false,
      summary: `2 findings in 1 file, against the schema of ${db.name} at ${PG.host}:${PG.port} (from services.postgres), none at error or above`,
    })
  })

  it("still refuses int → bigint on a populated table, and says which schema it used", async () => {
    const verdict = await migrationGate("staging", config, [BIGINT], undefined, () => readTargetSchema(config, deps))
    expect(verdict.blocked).to.equal(true)
    expect(verdict.summary.split("\n")).to.deep.equal([
      HEADLINE,
      `  0003_pages_bigint.sql:5 error alter-column-type (AccessExclusiveLock on library_book): ${REWRITE_FIX}`,
      `analysed against the schema of ${db.name} at ${PG.host}:${PG.port} (from services.postgres)`,
    ])
  })

  it("reads through services.postgres.deployer, the deployer's view, when it is set", async () => {
    const viewed = {
      ...config,
      services: {
        ...config.services,
        postgres: { ...config.services.postgres, host: "db", deployer: { host: PG.host, port: PG.port } },
      },
    }
    expect(
      (await migrationGate("staging", viewed, [WIDEN], undefined, () => readTargetSchema(viewed, deps))).summary,
    ).to.equal(
      `2 findings in 1 file, against the schema of ${db.name} at ${PG.host}:${PG.port} (deployer view, from services.postgres.deployer), none at error or above`,
    )
  })

  it("says so when the schema cannot be read, and falls back to the analysis without it", async () => {
    const unreachable = {
      ...config,
      services: {
        ...config.services,
        postgres: { ...config.services.postgres, deployer: { host: "127.0.0.1", port: 1 } },
      },
    }
    const warning = `the schema of ${db.name} at 127.0.0.1:1 (deployer view, from services.postgres.deployer) could not be read (connect ECONNREFUSED 127.0.0.1:1), so the gate analysed without it: a widening such as varchar(100) → varchar(200) counts as a rewrite; check that this deployer reaches that address as ${PG.user} (services.postgres.deployer sets the deployer's own address)`
    const verdict = await migrationGate("staging", unreachable, [WIDEN], undefined, () =>
      readTargetSchema(unreachable, deps),
    )
    expect(verdict).to.deep.equal({
      blocked: true,
      summary: [
        HEADLINE,
        `  0002_widen_title.sql:5 error alter-column-type (AccessExclusiveLock on library_book): ${REWRITE_FIX}`,
        `warning: ${warning}`,
      ].join("\n"),
      warning,
    })
  })

  it("says so when the engine that holds the password cannot be made", async () => {
    const verdict = await migrationGate("staging", config, [WIDEN], "spec: a maintenance window", () =>
      readTargetSchema(config, () =>
        Promise.reject(new Error("failed to get secret: secret env var not found: POSTGRES_PASSWORD\nstack")),
      ),
    )
    expect(verdict).to.deep.equal({
      blocked: false,
      summary: `3 findings in 1 file, without the database's schema; 1 at error or above, allowed: spec: a maintenance window\n  0002_widen_title.sql:5 error alter-column-type (AccessExclusiveLock on library_book): ${REWRITE_FIX}`,
      warning:
        "the database's schema was not read (failed to get secret: secret env var not found: POSTGRES_PASSWORD), so the gate analysed without it: a widening such as varchar(100) → varchar(200) counts as a rewrite",
    })
  })
})

describe("deploy's migrations gate against the database's schema, on the real Docker engine", function () {
  this.timeout(180_000)
  let f: DeployFixture
  before(async () => {
    f = await deployFixture("gateschema", {
      name: "staging",
      tier: "staging",
      overrides: { deploy: { docker_host: "unix:///var/run/docker.sock" }, secrets: PROTECTED_TIER_SECRETS },
    })
    await bookTable(f.db)
  })
  after(() => f?.cleanup())

  it("refuses int → bigint on the populated library_book before anything changes", async () => {
    const digest = f.images.app.v1!
    const error = await deploy(
      {
        env: f.env,
        image: digest,
        requestedBy: "spec",
        approve: `staging@${digest.slice(7, 19)}`,
        migrations: [BIGINT],
      },
      await f.engine(),
    ).catch((e: Error) => e)
    expect(error).to.be.instanceOf(DeployError)
    expect((error as DeployError).code).to.equal("refused")
    expect((error as Error).message.split("\n")).to.deep.equal([
      HEADLINE,
      `  0003_pages_bigint.sql:5 error alter-column-type (AccessExclusiveLock on library_book): ${REWRITE_FIX}`,
      `analysed against the schema of ${f.db.name} at ${PG.host}:${PG.port} (from services.postgres)`,
      "Nothing was changed",
    ])
    expect(await readHistory(f.env, await f.engine(), 5)).to.deep.equal([])
  })

  it("deploys varchar(100) → varchar(200) without an override, and the ledger says which schema the gate read", async () => {
    const digest = f.images.app.v1!
    const outcome = await deploy(
      {
        env: f.env,
        image: digest,
        version: "v1",
        requestedBy: "spec",
        approve: `staging@${digest.slice(7, 19)}`,
        migrations: [WIDEN],
      },
      await f.engine(),
    )
    expect(outcome.result).to.equal("succeeded")
    const [record] = await readHistory(f.env, await f.engine(), 1)
    expect(record!.unsafeOverride).to.equal(null)
    expect(record!.phases.find((p) => p.step === "migrate")!.detail).to.equal(
      `checked: 2 findings in 1 file, against the schema of ${f.db.name} at ${PG.host}:${PG.port} (from services.postgres), none at error or above; not applied (deploy.migrations.run is false)`,
    )
  })
})
