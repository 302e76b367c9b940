/**
 * The real `deploy-pipeline` process under --format json / --json: the document is on stdout
 * whatever the exit code (so `… --format json > findings.json` holds it exactly when it matters),
 * stderr holds no JSON, and errors are JSON errors on stdout. The empty schema is a real
 * `pg_dump --schema-only` of a database created empty on the local PostgreSQL.
 */
import { expect } from "chai"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pgDumpSchema } from "../../core/migrations/trace/scratch.js"
import { cliProcess } from "../helpers/cli.js"
import { CORPUS_DIR } from "../migrations/corpus-cases.js"
import { type TestDatabase, createTestDatabase } from "../migrations/helpers/pg.js"

const corpus = (name: string) => join(CORPUS_DIR, name)

describe("cli: JSON output of the real process", () => {
  it("migrations check with error findings: exit 1, the findings on stdout, no JSON on stderr", () => {
    const result = cliProcess([
      "migrations",
      "check",
      corpus("16_django_alter_field_widen_varchar.sql"),
      "--pg-version",
      "13",
      "--format",
      "json",
    ])
    expect(result.code, result.stderr).to.equal(1)
    expect(result.stderr).to.equal("")
    const { findings } = JSON.parse(result.stdout) as { findings: { line: number; rule: string; severity: string }[] }
    expect(findings.map((f) => `${f.line} ${f.severity} ${f.rule}`)).to.deep.equal([
      "5 error alter-column-type",
      "5 warning missing-lock-timeout",
      "5 warning missing-statement-timeout",
    ])
  })

  it("an error under --format json is a JSON error on stdout, exit 1", () => {
    const missing = join(tmpdir(), "dp-no-such-dir", "schema.sql")
    const result = cliProcess([
      "migrations",
      "check",
      corpus("02_django_add_field_nullable.sql"),
      "--schema",
      missing,
      "--format",
      "json",
    ])
    expect(result).to.deep.include({ code: 1, stderr: "" })
    expect(JSON.parse(result.stdout)).to.deep.equal({
      error: { code: "input-missing", message: `no schema file ${missing}; write one with pg_dump --schema-only` },
    })
  })

  it("a usage error under --json is a JSON error on stdout, exit 2", () => {
    const result = cliProcess(["plan", "--json"])
    expect(result).to.deep.include({
      code: 2,
      stderr: "",
      stdout: '{\n  "error": {\n    "code": "usage",\n    "message": "plan needs --env NAME"\n  }\n}\n',
    })
  })

  it("a deploy-side failure under --json (a secret this machine cannot resolve) is a JSON error on stdout", () => {
    const result = cliProcess(["status", "--env", "production", "--json"])
    expect(result.code, result.stderr).to.equal(1)
    expect(result.stderr).to.equal("")
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string } }
    expect(error.code).to.equal("secret-unresolved")
    expect(error.message).to.match(/^secret [A-Z_]+ comes from (env|file):\S+, which (is not set|cannot be read)/)
  })

  describe("--schema: pg_dump of an empty database (real PostgreSQL)", () => {
    let empty: TestDatabase
    let dump: string
    before(async () => {
      empty = await createTestDatabase()
      dump = join(mkdtempSync(join(tmpdir(), "dp-empty-schema-")), "schema.sql")
      writeFileSync(dump, (await pgDumpSchema(empty.url, "pre-data")) + (await pgDumpSchema(empty.url, "post-data")))
    })
    after(() => empty?.drop())

    it("is a valid schema, with no tables: accepted under --format json and in text", () => {
      const json = cliProcess([
        "migrations",
        "check",
        corpus("01_django_initial_blog.sql"),
        "--schema",
        dump,
        "--format",
        "json",
      ])
      expect(json).to.deep.include({ code: 0, stderr: "" })
      expect((JSON.parse(json.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).to.deep.equal([
        "missing-lock-timeout",
        "missing-statement-timeout",
      ])
      const text = cliProcess(["migrations", "check", corpus("01_django_initial_blog.sql"), "--schema", dump])
      expect(text).to.deep.include({ code: 0, stderr: "" })
      expect(text.stdout.trim().split("\n").at(-1)).to.equal(
        `0 errors, 2 warnings, 0 info (1 file, PostgreSQL 15.0, schema from ${dump}: no tables).`,
      )
    })
  })
})
