/** The corpus: every file's findings, exactly, as the table in corpus-cases.ts lists them. */
import { expect } from "chai"
import { analyzeFiles } from "../../core/migrations/analyze.js"
import { parsePgVersion } from "../../core/migrations/pg-version.js"
import { RULE_IDS } from "../../core/migrations/rules/catalog.js"
import type { Schema } from "../../core/migrations/schema.js"
import { CASES } from "./corpus-cases.js"
import { corpusFile, corpusFileNames, fixtureSchema } from "./helpers/corpus.js"

describe("migrations/corpus", () => {
  let schema: Schema
  before(async () => {
    schema = await fixtureSchema()
  })

  for (const c of CASES) {
    const variant = [
      c.options.schema === false ? "no schema" : "",
      c.options.pgVersion ? `PostgreSQL ${c.options.pgVersion}` : "",
    ]
      .filter(Boolean)
      .join(", ")
    it(`${c.file}${variant ? ` (${variant})` : ""}: ${c.about}`, async () => {
      const version = c.options.pgVersion ? parsePgVersion(c.options.pgVersion) : undefined
      const findings = await analyzeFiles([corpusFile(c.file)], {
        ...(c.options.schema === false ? {} : { schema }),
        ...(version ? { version } : {}),
      })
      expect(findings.map((f) => [f.line, f.rule, f.severity, f.lock])).to.deep.equal(c.expect)
      expect(findings.every((f) => f.file === c.file)).to.equal(true)
    })
  }

  it("has at least 40 files, each with a case on the default options", () => {
    const files = corpusFileNames()
    expect(files.length).to.be.at.least(40)
    expect(files.filter((f) => !CASES.some((c) => c.file === f && Object.keys(c.options).length === 0))).to.deep.equal(
      [],
    )
  })

  it("shows every rule at least once, and has safe files with no findings", () => {
    const shown = new Set(CASES.flatMap((c) => c.expect.map(([, rule]) => rule)))
    expect(RULE_IDS.filter((rule) => !shown.has(rule))).to.deep.equal([])
    expect(CASES.filter((c) => c.expect.length === 0).map((c) => c.file)).to.deep.equal([
      "09_django_add_index_concurrently.sql",
      "12_django_remove_index_concurrently.sql",
      "30_django_run_sql_fk_not_valid.sql",
      "31_django_run_sql_validate.sql",
      "34_create_table_and_index.sql",
      "36_reindex_concurrently.sql",
      "37_unique_using_index.sql",
      "47_detach_partition_concurrently.sql",
      "49_enum_add_value.sql",
      "55_timeouts_set.sql",
      "60_not_null_check_pattern.sql",
      "65_primary_key_using_index_check_backed.sql",
      "71_vacuum_full_false.sql",
      "72_django_no_operations.sql",
    ])
  })
})
