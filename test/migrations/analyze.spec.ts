/** The analyzer's behaviour beyond single files: whole findings, state across files, options. */
import { expect } from "chai"
import { analyzeFiles } from "../../src/migrations/analyze.js"
import { corpusFile, fixtureSchema } from "./helpers/corpus.js"

describe("migrations/analyze", () => {
  it("gives every field of a finding: Django's ForeignKey AddField", async () => {
    const findings = await analyzeFiles([corpusFile("07_django_add_foreign_key.sql")], { schema: await fixtureSchema() })
    expect(findings[0]).to.deep.equal({
      file: "07_django_add_foreign_key.sql",
      line: 5,
      rule: "foreign-key-without-not-valid",
      severity: "error",
      lock: "AccessExclusiveLock",
      rewrites: false,
      relation: "library_book",
      why: "ADD COLUMN … REFERENCES library_author checks every row of library_book under the ADD COLUMN's AccessExclusiveLock, and takes ShareRowExclusiveLock on library_author: reads and writes wait",
      fix: "Add the column without REFERENCES, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID (Django's DEFERRABLE INITIALLY DEFERRED can stay) and VALIDATE CONSTRAINT in a later migration",
    })
    expect(findings[3]).to.deep.equal({
      file: "07_django_add_foreign_key.sql",
      line: 6,
      rule: "statements-after-strong-lock",
      severity: "error",
      lock: "AccessExclusiveLock",
      rewrites: false,
      relation: "library_book",
      why: "The AccessExclusiveLock on library_book taken at line 5 is held until COMMIT, so reads of library_book also wait while this statement builds an index",
      fix: "One risky statement per transaction: split the migration, or make it atomic = False so each statement commits on its own",
    })
  })

  it("carries the schema from one file to the next, but not 'created in this file'", async () => {
    const files = [
      { path: "0001.sql", content: "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nCREATE TABLE t (id bigint PRIMARY KEY, code varchar(10));\n" },
      { path: "0002.sql", content: "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nALTER TABLE t ALTER COLUMN code TYPE varchar(20);\nALTER TABLE t ALTER COLUMN code TYPE varchar(5);\nCREATE INDEX t_code ON t (code);\n" },
    ]
    const findings = await analyzeFiles(files)
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).to.deep.equal(["0002.sql:4 alter-column-type", "0002.sql:5 create-index-not-concurrently"])
    expect(findings[0]?.why).to.equal("Changing code from varchar(20) to varchar(5) rewrites t and rebuilds its indexes under an AccessExclusiveLock: reads and writes wait (integer → bigint: 2.6 s per 1M rows)")
  })

  it("takes --pg-version over the version of the --database schema", async () => {
    const schema = { ...(await fixtureSchema()), version: { major: 15, minor: 4 } }
    const file = corpusFile("42_add_column_default_old_pg.sql")
    expect((await analyzeFiles([file], { schema })).map((f) => f.rule)).to.deep.equal(["missing-lock-timeout", "missing-statement-timeout"])
    expect((await analyzeFiles([file], { schema, version: { major: 10, minor: 0 } })).map((f) => f.rule)).to.deep.equal(["add-column-default-rewrite", "missing-lock-timeout", "missing-statement-timeout"])
  })

  it("reports a file that does not parse and goes on with the next", async () => {
    const findings = await analyzeFiles([corpusFile("57_syntax_error.sql"), corpusFile("08_django_add_index.sql")])
    expect(findings[0]).to.deep.equal({
      file: "57_syntax_error.sql",
      line: 2,
      rule: "syntax-error",
      severity: "error",
      lock: null,
      rewrites: false,
      relation: null,
      why: 'PostgreSQL cannot parse it: syntax error at or near ";"',
      fix: "Fix the SQL; nothing else in this file was checked",
    })
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).to.deep.equal([
      "57_syntax_error.sql:2 syntax-error",
      "08_django_add_index.sql:5 create-index-not-concurrently",
      "08_django_add_index.sql:5 missing-lock-timeout",
      "08_django_add_index.sql:5 missing-statement-timeout",
    ])
  })

  it("does not report what is new: a table created and rebuilt in one non-atomic file", async () => {
    const content = "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nCREATE TABLE n (id int);\nALTER TABLE n RENAME TO m;\nALTER TABLE m ADD COLUMN x timestamptz DEFAULT clock_timestamp() NOT NULL;\nCREATE INDEX m_x ON m (x);\nDROP INDEX m_x;\nDROP TABLE m;\n"
    expect((await analyzeFiles([{ path: "n.sql", content }])).map((f) => f.rule)).to.deep.equal([])
  })
})
