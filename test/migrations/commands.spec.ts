/** The two pure commands, `migrations check` and `migrations trace`, as the CLI and Dagger surfaces call them. */
import { expect } from "chai"
import { readFileSync } from "node:fs"
import { migrationsCheck } from "../../core/commands/migrations-check.js"
import { migrationsTrace } from "../../core/commands/migrations-trace.js"
import { blankMetaCommands } from "../../core/migrations/parse.js"
import { schemaFromDatabase } from "../../core/migrations/schema-db.js"
import { catalogSnapshot } from "../../core/migrations/trace/catalog.js"
import { SCRATCH_PREFIX } from "../../core/migrations/trace/scratch.js"
import { EMPTY_SCHEMA_FIXTURE, SCHEMA_FIXTURE } from "./corpus-cases.js"
import { corpusFile, fixtureSchema, schemaFixtureText } from "./helpers/corpus.js"
import { type TestDatabase, createTestDatabase, databasesLike } from "./helpers/pg.js"

describe("commands/migrations-check", () => {
  const schemaFile = () => ({ path: SCHEMA_FIXTURE, content: schemaFixtureText() })

  it("says what to pass when the input is wrong", async () => {
    expect(await migrationsCheck([])).to.deep.equal({
      ok: false,
      code: "input-missing",
      text: "no SQL files to check; pass FILE or DIR with the output of manage.py sqlmigrate",
    })
    const file = corpusFile("02_django_add_field_nullable.sql")
    expect(await migrationsCheck([file], { schema: schemaFile(), database: "postgres://x/y" })).to.deep.equal({
      ok: false,
      code: "invalid-option",
      text: "pass --schema FILE or --database URL, not both",
    })
    expect(await migrationsCheck([file], { pgVersion: "9.6" })).to.deep.equal({
      ok: false,
      code: "invalid-option",
      text: '--pg-version "9.6" is not a PostgreSQL version; pass a major such as 15, or major.minor such as 14.3',
    })
    expect(await migrationsCheck([file], { schema: { path: "dump.sql", content: "" } })).to.deep.equal({
      ok: false,
      code: "schema-invalid",
      text: "dump.sql:1: the schema is empty (what a failed pg_dump leaves); pass the output of pg_dump --schema-only",
    })
    const failing = async () => {
      throw new Error('password authentication failed for user "app"')
    }
    expect(
      await migrationsCheck(
        [file],
        { database: "postgres://app:hunter2@db:5432/app" },
        { readDatabaseSchema: failing },
      ),
    ).to.deep.equal({
      ok: false,
      code: "database-unreadable",
      text: 'cannot read the schema from postgres://app:***@db:5432/app: password authentication failed for user "app"; check the URL, or pass --schema FILE (pg_dump --schema-only)',
    })
  })

  it("is ok with warnings only, and prints the text summary with its context", async () => {
    const outcome = await migrationsCheck([corpusFile("16_django_alter_field_widen_varchar.sql")], {
      schema: schemaFile(),
    })
    expect(outcome.ok).to.equal(true)
    expect(outcome.text.split("\n").at(-1)).to.equal(
      `0 errors, 2 warnings, 0 info (1 file, PostgreSQL 15.0, schema from ${SCHEMA_FIXTURE}).`,
    )
  })

  it("takes a schema dump with no tables (the database before its first migration), and says so", async () => {
    const outcome = await migrationsCheck([corpusFile("01_django_initial_blog.sql")], {
      schema: { path: EMPTY_SCHEMA_FIXTURE, content: readFileSync(EMPTY_SCHEMA_FIXTURE, "utf8") },
    })
    expect(outcome.ok, outcome.text).to.equal(true)
    expect(outcome.text.split("\n").at(-1)).to.equal(
      `0 errors, 2 warnings, 0 info (1 file, PostgreSQL 15.0, schema from ${EMPTY_SCHEMA_FIXTURE}: no tables).`,
    )
  })

  it("is not ok when a finding is an error, and prints {findings} as a JSON document", async () => {
    const outcome = await migrationsCheck([corpusFile("16_django_alter_field_widen_varchar.sql")], {
      format: "json",
      pgVersion: "13",
    })
    expect([outcome.ok, outcome.json]).to.deep.equal([false, true])
    const { findings } = JSON.parse(outcome.text) as {
      findings: { rule: string; line: number; severity: string; lock: string; rewrites: boolean }[]
    }
    expect(findings.map((f) => [f.line, f.rule, f.severity, f.lock, f.rewrites])).to.deep.equal([
      [5, "alter-column-type", "error", "AccessExclusiveLock", true],
      [5, "missing-lock-timeout", "warning", "AccessExclusiveLock", false],
      [5, "missing-statement-timeout", "warning", "AccessExclusiveLock", false],
    ])
  })

  it("takes the schema and version from --database", async () => {
    const schema = { ...(await fixtureSchema()), version: { major: 11, minor: 22 } }
    const outcome = await migrationsCheck(
      [corpusFile("22_django_not_null_check_backed.sql")],
      { database: "postgres://app:pw@db/app" },
      { readDatabaseSchema: async () => schema },
    )
    expect(outcome.ok).to.equal(false)
    expect(outcome.text.split("\n").at(-1)).to.equal(
      "1 error, 2 warnings, 0 info (1 file, PostgreSQL 11.22, schema from postgres://app:***@db/app); errors block staging and production unless overridden with a recorded reason.",
    )
  })
})

describe("commands/migrations-trace (real PostgreSQL)", () => {
  let target: TestDatabase
  before(async () => {
    target = await createTestDatabase(blankMetaCommands(schemaFixtureText()))
  })
  after(() => target.drop())

  it("needs --database and says what to check when it cannot be read", async () => {
    const file = corpusFile("08_django_add_index.sql")
    expect(await migrationsTrace([], { database: target.url })).to.deep.equal({
      ok: false,
      code: "input-missing",
      text: "no SQL files to trace; pass FILE or DIR with the output of manage.py sqlmigrate",
    })
    expect(await migrationsTrace([file], { database: "" })).to.deep.equal({
      ok: false,
      code: "missing-option",
      text: "migrations trace needs --database URL (the target, whose schema is copied to a scratch database)",
    })
    const outcome = await migrationsTrace([file], {
      database: "postgres://postgres@127.0.0.1:5432/dp_test_mig_no_such_db",
    })
    expect(outcome).to.deep.equal({
      ok: false,
      code: "database-unreadable",
      text: 'cannot read the schema from postgres://postgres@127.0.0.1:5432/dp_test_mig_no_such_db: database "dp_test_mig_no_such_db" does not exist; check the URL and that the server is up',
    })
  })

  it("traces on a scratch copy of the target's schema, drops it, and leaves the target as it was", async () => {
    const before = await catalogSnapshot(target.db)
    const files = [corpusFile("07_django_add_foreign_key.sql"), corpusFile("12_django_remove_index_concurrently.sql")]
    const outcome = await migrationsTrace(files, { database: target.url, format: "json" })
    expect([outcome.ok, outcome.json]).to.deep.equal([true, true])
    const json = JSON.parse(outcome.text) as {
      statements: {
        file: string
        line: number
        locks: { relation: string; mode: string }[]
        rewrites: string[]
        autocommit?: boolean
        held?: unknown
      }[]
      database: { traced: string; unchanged: boolean }
    }
    // DROP INDEX CONCURRENTLY takes the index's AccessExclusiveLock only for its last instant; the
    // autocommit tracer samples pg_locks, so whether it sees that lock depends on timing. Its
    // table-level locks are asserted exactly; the index's brief lock is allowed, never required.
    const brief = "AccessExclusiveLock library_book_title_idx"
    const locksOf = (s: { file: string; locks: { relation: string; mode: string }[] }) =>
      s.locks.map((l) => `${l.mode} ${l.relation}`).filter((l) => !(s.file.startsWith("12_") && l === brief))
    expect(json.statements.map((s) => [s.file, s.line, locksOf(s), s.rewrites, s.autocommit ?? false])).to.deep.equal([
      ["07_django_add_foreign_key.sql", 1, [], [], false],
      [
        "07_django_add_foreign_key.sql",
        5,
        [
          "ShareRowExclusiveLock library_author",
          "AccessShareLock library_author",
          "AccessShareLock library_author_pkey",
          "AccessExclusiveLock library_book",
          "ShareRowExclusiveLock library_book",
          "AccessShareLock library_book",
        ],
        [],
        false,
      ],
      ["07_django_add_foreign_key.sql", 5, [], [], false],
      [
        "07_django_add_foreign_key.sql",
        6,
        ["ShareLock library_book", "AccessExclusiveLock library_book_translator_id_3f4b9a1e"],
        [],
        false,
      ],
      ["07_django_add_foreign_key.sql", 7, [], [], false],
      [
        "12_django_remove_index_concurrently.sql",
        4,
        ["ShareUpdateExclusiveLock library_book", "ShareUpdateExclusiveLock library_book_title_idx"],
        [],
        true,
      ],
    ])
    expect(json.database.traced).to.match(
      new RegExp(
        `^a scratch copy of ${target.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(${SCRATCH_PREFIX}dp_test_mig_\\w+: its schema and no rows \\(the target's tables are empty\\); dropped\\)$`,
      ),
    )
    expect(await catalogSnapshot(target.db)).to.deep.equal(before)
    expect(await databasesLike(`${SCRATCH_PREFIX}${target.name.slice(0, 20)}`)).to.deep.equal([])
  })

  it("fails the outcome when a statement fails on the target's rows, sampled into the scratch copy, with PostgreSQL's message", async () => {
    const populated = await createTestDatabase(blankMetaCommands(schemaFixtureText()))
    try {
      await populated.db.query(
        "INSERT INTO library_author (name, email, bio) SELECT 'a' || g, 'a@x', '' FROM generate_series(1, 300) g; ANALYZE library_author",
      )
      const outcome = await migrationsTrace([corpusFile("43_add_column_not_null_no_default.sql")], {
        database: populated.url,
      })
      expect(outcome.ok).to.equal(false)
      const lines = outcome.text.split("\n")
      expect(lines[0]).to.match(
        /^43_add_column_not_null_no_default\.sql:1 [\d.]+ ms; no new locks; FAILED: column "country" of relation "library_author" contains null values$/,
      )
      expect(lines[2]).to.match(
        /^traced on a scratch copy of .+ \(dp_trace_\w+: its schema and 200 sampled rows in 1 table, up to 200 each; dropped\), left exactly as it was$/,
      )
    } finally {
      await populated.drop()
    }
  })

  it("traces in place when asked, and fails the outcome when a statement fails", async () => {
    const outcome = await migrationsTrace(
      [{ path: "bad.sql", content: "ALTER TABLE library_book ADD COLUMN pages int;\n" }],
      { database: target.url, inPlace: true },
    )
    expect([outcome.ok, outcome.code]).to.deep.equal([false, "trace-errors"])
    expect(outcome.text).to.equal(
      [
        `bad.sql:1 0 ms; no new locks; FAILED: column "pages" of relation "library_book" already exists`,
        "  ALTER TABLE library_book ADD COLUMN pages int",
        `traced on ${target.url} (in place), left exactly as it was`,
      ]
        .join("\n")
        .replace("0 ms", outcome.text.match(/^bad\.sql:1 ([\d.]+ ms)/)?.[1] ?? "?"),
    )
  })
})
