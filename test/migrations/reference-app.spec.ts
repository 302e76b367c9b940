/**
 * The analyzer and the tracer on the reference app's own migrations (issue #16, item 4): the v3
 * variant's pending `core.0003_release_build_id` (an AddField with a volatile db_default), as the
 * release's own `manage.py sqlmigrate` prints it against a database at core 0002 holding 20,000
 * releases. The analyzer, given that database's schema, flags the rewrite; the tracer measures it
 * on a scratch copy (its schema and a sample of the rows): ACCESS EXCLUSIVE on core_release, a new
 * relfilenode, and the estimate scaled to the table's 20,000 rows.
 * (The rehearsal of the same migrations on a restored backup is test/migrations/rehearse.spec.ts.)
 */
import { execFileSync } from "node:child_process"
import { expect } from "chai"
import { migrationsTrace } from "../../core/commands/migrations-trace.js"
import { analyzeFiles } from "../../core/migrations/analyze.js"
import { schemaFromDatabase } from "../../core/migrations/schema-db.js"
import { DOCKER, requireDocker } from "../helpers/docker-images.js"
import { buildAppImage } from "../helpers/django-images.js"
import { UNSAFE, V3 } from "../helpers/django-variants.js"
import { PG, type ScratchDatabase, createScratchDatabase } from "../helpers/postgres.js"

const ROWS = 20_000

describe("analyzer and tracer on the reference app's real migrations (Django's sqlmigrate, PostgreSQL 15)", function () {
  this.timeout(600_000)
  let db: ScratchDatabase
  let sql = ""
  const url = () => `postgresql://${PG.user}@${PG.host}:${PG.port}/${db.name}`

  before(async function () {
    this.timeout(900_000)
    requireDocker()
    const image = await buildAppImage(V3)
    db = await createScratchDatabase("refapp")
    // The release itself, on this machine's network (its Postgres listens on 127.0.0.1 only).
    const manage = (script: string) =>
      execFileSync(
        DOCKER,
        [
          "run",
          "--rm",
          "--network",
          "host",
          ...Object.entries({
            DJANGO_SETTINGS_MODULE: "config.settings.production",
            SECRET_KEY: "reference-app-spec",
            ALLOWED_HOSTS: "*",
            POSTGRES_HOST: PG.host,
            POSTGRES_PORT: String(PG.port),
            POSTGRES_USER: PG.user,
            POSTGRES_PASSWORD: "trust",
            POSTGRES_DB: db.name,
            RABBITMQ_URL: "amqp://guest:guest@127.0.0.1:5672//",
          }).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
          image.id,
          "sh",
          "-c",
          script,
        ],
        { encoding: "utf8" },
      )
    manage("python manage.py migrate core 0002 --noinput")
    sql = manage(`python manage.py sqlmigrate core ${UNSAFE.split("_")[0]}`)
    const client = await db.connect()
    await client.query(
      `INSERT INTO core_release (version, commit_sha, environment, notes, created_at) SELECT 'v' || g, md5(g::text), 'staging', '', now() FROM generate_series(1, ${ROWS}) g`,
    )
    await client.query("ANALYZE core_release")
    await client.end()
  })
  after(async () => db?.drop())

  it("sqlmigrate prints the rewrite, and the analyzer with the database's schema flags it", async () => {
    expect(sql.trim().split("\n")).to.deep.equal([
      "BEGIN;",
      "--",
      "-- Add field build_id to release",
      "--",
      'ALTER TABLE "core_release" ADD COLUMN "build_id" uuid DEFAULT (GEN_RANDOM_UUID()) NOT NULL;',
      "COMMIT;",
    ])
    const client = await db.connect()
    const schema = await schemaFromDatabase(client)
    await client.end()
    const findings = await analyzeFiles([{ path: `${UNSAFE}.sql`, content: sql }], { schema })
    expect(findings.map((f) => [f.rule, f.severity, f.lock, f.rewrites, f.relation])).to.deep.equal([
      ["add-column-default-rewrite", "error", "AccessExclusiveLock", true, "core_release"],
      ["missing-lock-timeout", "warning", "AccessExclusiveLock", false, "core_release"],
      ["missing-statement-timeout", "warning", "AccessExclusiveLock", false, "core_release"],
    ])
  })

  it("the tracer measures it on a scratch copy: ACCESS EXCLUSIVE on core_release, rewritten, estimated at the real row count", async () => {
    const outcome = await migrationsTrace([{ path: `${UNSAFE}.sql`, content: sql }], {
      database: url(),
      format: "json",
    })
    expect(outcome.ok, outcome.text).to.equal(true)
    const trace = JSON.parse(outcome.text) as {
      statements: {
        line: number
        locks: { relation: string; mode: string }[]
        rewrites: string[]
        estimate?: { operation: string; rows: number }
      }[]
      database: { unchanged: boolean }
    }
    const alter = trace.statements.find((s) => s.line === 5)!
    expect(alter.locks).to.deep.include({ relation: "core_release", mode: "AccessExclusiveLock" })
    expect(alter.rewrites).to.include("core_release")
    // The copy holds a sample of the rows; the estimate scales the rewrite to the table's real size.
    expect([alter.estimate?.operation, alter.estimate?.rows]).to.deep.equal(["rewrite", ROWS])
    expect(trace.database.unchanged).to.equal(true)
  })
})
