/** The analyzer's behaviour beyond single files: whole findings, state across files, options. */
import { expect } from "chai"
import { analyzeFiles } from "../../core/migrations/analyze.js"
import { corpusFile, fixtureSchema } from "./helpers/corpus.js"

describe("migrations/analyze", () => {
  it("gives every field of a finding: Django's ForeignKey AddField (valid without a scan), then its index built under the lock", async () => {
    const findings = await analyzeFiles([corpusFile("07_django_add_foreign_key.sql")], {
      schema: await fixtureSchema(),
    })
    expect(findings.map((f) => `${f.line} ${f.rule}`)).to.deep.equal([
      "5 missing-lock-timeout",
      "5 missing-statement-timeout",
      "6 statements-after-strong-lock",
      "6 create-index-not-concurrently",
    ])
    expect(findings[2]).to.deep.equal({
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

  it("says why and what to do instead for each rule of the second round", async () => {
    const schema = await fixtureSchema()
    const first = async (file: string, rule: string) => {
      const found = (await analyzeFiles([corpusFile(file)], { schema })).find((f) => f.rule === rule)
      return found && { line: found.line, lock: found.lock, relation: found.relation, why: found.why, fix: found.fix }
    }
    const onColumns =
      "put the rule on the columns instead: ADD CONSTRAINT … CHECK (…) NOT VALID on each table, then VALIDATE CONSTRAINT in a later migration (ShareUpdateExclusiveLock: reads and writes go on)"
    expect(await first("61_domain_add_constraint.sql", "domain-add-constraint")).to.deep.equal({
      line: 1,
      lock: "ShareLock",
      relation: "shop_orderline",
      why: "ALTER DOMAIN shop_quantity ADD CONSTRAINT checks every row of shop_orderline while holding a ShareLock on it: every INSERT, UPDATE and DELETE waits for the whole scan",
      fix: `ADD CONSTRAINT … NOT VALID (new values are checked at once, no scan), and either leave it unvalidated or ${onColumns}`,
    })
    expect(await first("62_domain_set_not_null.sql", "domain-set-not-null")).to.deep.equal({
      line: 1,
      lock: "ShareLock",
      relation: "shop_orderline",
      why: "ALTER DOMAIN shop_quantity SET NOT NULL checks every row of shop_orderline while holding a ShareLock on it: every INSERT, UPDATE and DELETE waits for the whole scan",
      fix: `ADD CONSTRAINT shop_quantity_not_null CHECK (VALUE IS NOT NULL) NOT VALID on the domain (new values are checked at once, no scan); to cover old rows, ${onColumns}`,
    })
    expect(await first("63_domain_validate_constraint.sql", "domain-validate-constraint")).to.deep.equal({
      line: 2,
      lock: "ShareLock",
      relation: "shop_orderline",
      why: "ALTER DOMAIN shop_quantity VALIDATE CONSTRAINT checks every row of shop_orderline while holding a ShareLock on it: every INSERT, UPDATE and DELETE waits for the whole scan (a domain's VALIDATE takes ShareLock, unlike a table's)",
      fix: `Leave the domain's constraint NOT VALID (new values are already checked), or ${onColumns}; validate the domain itself only in a maintenance window`,
    })
    expect(await first("64_primary_key_using_index_nullable.sql", "primary-key-using-index-nullable")).to.deep.equal({
      line: 4,
      lock: "AccessExclusiveLock",
      relation: "shop_legacy",
      why: "A primary key makes code NOT NULL: it is nullable, so PostgreSQL checks every row of shop_legacy while holding an AccessExclusiveLock: reads and writes wait for the whole scan",
      fix: "First ADD CONSTRAINT … CHECK (code IS NOT NULL) NOT VALID for each key column and VALIDATE CONSTRAINT in a later migration; then ADD PRIMARY KEY USING INDEX only writes the catalog (PostgreSQL 12+ uses the validated CHECK), and the CHECK can be dropped",
    })
    expect(await first("66_django_add_column_check.sql", "add-column-check")).to.deep.equal({
      line: 5,
      lock: "AccessExclusiveLock",
      relation: "library_book",
      why: "ADD COLUMN weight_grams … CHECK tests the new column's value (NULL or its default) on every row of library_book while holding the ADD COLUMN's AccessExclusiveLock: reads and writes wait for the whole scan",
      fix: "Add the column without the CHECK, then ADD CONSTRAINT … CHECK (…) NOT VALID and VALIDATE CONSTRAINT in a later migration (ShareUpdateExclusiveLock: reads and writes go on)",
    })
    expect(await first("67_select_after_exclusive_lock.sql", "statements-after-strong-lock")).to.deep.equal({
      line: 3,
      lock: "AccessExclusiveLock",
      relation: "library_author",
      why: "The AccessExclusiveLock on library_author taken at line 2 is held until COMMIT, so reads of library_author also wait while this statement reads every row",
      fix: "One risky statement per transaction: split the migration, or make it atomic = False so each statement commits on its own",
    })
    expect(await first("68_truncate.sql", "truncate")).to.deep.equal({
      line: 1,
      lock: "AccessExclusiveLock",
      relation: "library_review",
      why: "TRUNCATE empties library_review at once, with no WHERE and no way back after COMMIT: the running release still reads and writes it and finds its data gone (PostgreSQL swaps in new, empty storage under an AccessExclusiveLock)",
      fix: "Not in a deploy migration: stop using the data in one release, take a verified backup, then DELETE in batches (or TRUNCATE) in a later post-deploy step; TRUNCATE freely only tables this migration created",
    })
    expect(await first("69_lock_table.sql", "lock-table")).to.deep.equal({
      line: 2,
      lock: "AccessExclusiveLock",
      relation: "library_book",
      why: "LOCK TABLE takes AccessExclusiveLock on library_book and keeps it until the transaction ends: every read and write on it waits for the rest of the migration",
      fix: "Leave the locking to the statements that need it, under lock_timeout (deploy-pipeline sets it and retries); to keep two migrations apart, use pg_advisory_xact_lock instead of a table lock",
    })
    expect(await first("70_add_column_fk_with_default.sql", "foreign-key-without-not-valid")).to.deep.equal({
      line: 2,
      lock: "AccessExclusiveLock",
      relation: "library_review",
      why: "ADD COLUMN … DEFAULT … REFERENCES library_author checks the default of every row of library_review against library_author under the ADD COLUMN's AccessExclusiveLock, and takes ShareRowExclusiveLock on library_author: reads and writes wait (without the DEFAULT the new column is all NULL and nothing is checked)",
      fix: "Add the column with REFERENCES and no DEFAULT (valid at once, no scan), SET DEFAULT for new rows, backfill old rows in batches; or add it without REFERENCES, then ADD CONSTRAINT … FOREIGN KEY … NOT VALID and VALIDATE CONSTRAINT in a later migration",
    })
  })

  it("reads VACUUM's FULL option as PostgreSQL does, and LOCK TABLE's weaker modes as warnings", async () => {
    const rules = async (content: string) =>
      (
        await analyzeFiles(
          [{ path: "v.sql", content: `SET lock_timeout = '1s';\nSET statement_timeout = '1min';\n${content}` }],
          { schema: await fixtureSchema() },
        )
      ).map((f) => `${f.rule} ${f.severity} ${f.lock}`)
    for (const off of [
      "VACUUM (FULL FALSE) library_book;",
      "VACUUM (FULL off, ANALYZE) library_book;",
      "VACUUM (FULL 0) library_book;",
      "VACUUM library_book;",
    ])
      expect(await rules(off), off).to.deep.equal([])
    for (const on of [
      "VACUUM FULL library_book;",
      "VACUUM (FULL) library_book;",
      "VACUUM (FULL TRUE) library_book;",
      "VACUUM (FULL 1, VERBOSE) library_book;",
    ])
      expect(await rules(on), on).to.deep.equal(["vacuum-full error AccessExclusiveLock"])
    expect(await rules("BEGIN;\nLOCK TABLE library_book IN ROW EXCLUSIVE MODE;\nCOMMIT;")).to.deep.equal([
      "lock-table warning RowExclusiveLock",
    ])
    expect(
      await rules("BEGIN;\nCREATE TABLE scratch (id int);\nLOCK TABLE scratch;\nTRUNCATE scratch;\nCOMMIT;"),
    ).to.deep.equal([])
  })

  it("carries the schema from one file to the next, but not 'created in this file'", async () => {
    const files = [
      {
        path: "0001.sql",
        content:
          "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nCREATE TABLE t (id bigint PRIMARY KEY, code varchar(10));\n",
      },
      {
        path: "0002.sql",
        content:
          "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nALTER TABLE t ALTER COLUMN code TYPE varchar(20);\nALTER TABLE t ALTER COLUMN code TYPE varchar(5);\nCREATE INDEX t_code ON t (code);\n",
      },
    ]
    const findings = await analyzeFiles(files)
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).to.deep.equal([
      "0002.sql:4 alter-column-type",
      "0002.sql:5 create-index-not-concurrently",
    ])
    expect(findings[0]?.why).to.equal(
      "Changing code from varchar(20) to varchar(5) rewrites t and rebuilds its indexes under an AccessExclusiveLock: reads and writes wait (integer → bigint: 2.6 s per 1M rows)",
    )
  })

  it("takes --pg-version over the version of the --database schema", async () => {
    const schema = { ...(await fixtureSchema()), version: { major: 15, minor: 4 } }
    const file = corpusFile("42_add_column_default_old_pg.sql")
    expect((await analyzeFiles([file], { schema })).map((f) => f.rule)).to.deep.equal([
      "missing-lock-timeout",
      "missing-statement-timeout",
    ])
    expect((await analyzeFiles([file], { schema, version: { major: 10, minor: 0 } })).map((f) => f.rule)).to.deep.equal(
      ["add-column-default-rewrite", "missing-lock-timeout", "missing-statement-timeout"],
    )
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
    const content =
      "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nCREATE TABLE n (id int);\nALTER TABLE n RENAME TO m;\nALTER TABLE m ADD COLUMN x timestamptz DEFAULT clock_timestamp() NOT NULL;\nCREATE INDEX m_x ON m (x);\nDROP INDEX m_x;\nDROP TABLE m;\n"
    expect((await analyzeFiles([{ path: "n.sql", content }])).map((f) => f.rule)).to.deep.equal([])
  })
})
