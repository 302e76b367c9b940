/** Exact text and JSON of check findings and trace results. */
import { expect } from "chai"
import type { Finding } from "../../core/migrations/finding.js"
import { renderFindingsJson, renderFindingsText, summaryLine } from "../../core/migrations/render.js"
import { renderTraceJson, renderTraceText } from "../../core/migrations/render.js"

const finding = (over: Partial<Finding>): Finding => ({
  file: "0002.sql",
  line: 5,
  rule: "create-index-not-concurrently",
  severity: "error",
  lock: "ShareLock",
  rewrites: false,
  relation: "library_book",
  why: "why",
  fix: "fix",
  ...over,
})

describe("migrations/render", () => {
  it("prints findings as located text with a summary", () => {
    const text = renderFindingsText(
      [
        finding({}),
        finding({ line: 7, rule: "alter-column-type", lock: "AccessExclusiveLock", rewrites: true }),
        finding({ line: 9, rule: "json-column", severity: "info", lock: null, relation: "t" }),
      ],
      "1 file, PostgreSQL 15.0, schema unknown",
    )
    expect(text).to.equal(
      [
        "0002.sql:5 error create-index-not-concurrently (ShareLock on library_book)",
        "  why: why",
        "  fix: fix",
        "0002.sql:7 error alter-column-type (AccessExclusiveLock on library_book, rewrites)",
        "  why: why",
        "  fix: fix",
        "0002.sql:9 info json-column",
        "  why: why",
        "  fix: fix",
        "2 errors, 0 warnings, 1 info (1 file, PostgreSQL 15.0, schema unknown); errors block staging and production unless overridden with a recorded reason.",
      ].join("\n"),
    )
    expect(summaryLine([], "2 files")).to.equal("No findings (2 files).")
    expect(summaryLine([finding({ severity: "warning" })], "1 file")).to.equal("0 errors, 1 warning, 0 info (1 file).")
  })

  it("prints findings as {findings: [...]} JSON", () => {
    expect(JSON.parse(renderFindingsJson([finding({})]))).to.deep.equal({ findings: [finding({})] })
  })

  it("prints a trace as text and JSON", () => {
    const result = {
      statements: [
        {
          file: "a.sql",
          line: 1,
          sql: "BEGIN",
          locks: [],
          rewrites: [],
          ms: 0,
          note: "transaction control: the tracer runs every statement in its own transaction and rolls it back",
        },
        {
          file: "a.sql",
          line: 2,
          sql: "ALTER TABLE t\n  ALTER COLUMN n TYPE bigint",
          locks: [{ relation: "t", mode: "AccessExclusiveLock" as const }],
          rewrites: ["t", "t_pkey"],
          ms: 12.5,
          held: [{ relation: "u", mode: "ShareLock" as const, since: 1 }],
          estimate: { operation: "rewrite" as const, table: "t", rows: 1000000, bytes: 138000000, ms: 4103 },
        },
      ],
      changed: [],
    }
    expect(renderTraceText(result, "a scratch copy")).to.equal(
      [
        "a.sql:1 transaction control: the tracer runs every statement in its own transaction and rolls it back",
        "  BEGIN",
        "a.sql:2 12.5 ms; locks AccessExclusiveLock t; already held ShareLock u (line 1); rewrites t, t_pkey; ≈ 4103 ms on the target (rewrite of t: 1000000 rows, 138.0 MB)",
        "  ALTER TABLE t ALTER COLUMN n TYPE bigint",
        "traced on a scratch copy, left exactly as it was",
      ].join("\n"),
    )
    expect(JSON.parse(renderTraceJson(result, "x"))).to.deep.equal({
      statements: result.statements,
      database: { traced: "x", unchanged: true },
    })
    expect(
      renderTraceText({ statements: [], changed: ["+ indexes: CREATE INDEX i ON public.t USING btree (a)"] }, "db"),
    ).to.equal("traced on db, which CHANGED:\n  + indexes: CREATE INDEX i ON public.t USING btree (a)")
  })

  it("prints rows read, emptied storage, autocommit statements and failures", () => {
    const statements = [
      {
        file: "b.sql",
        line: 1,
        sql: "SELECT count(*) FROM t",
        locks: [{ relation: "t", mode: "AccessShareLock" as const }],
        rewrites: [],
        reads: [{ relation: "t", rows: 200 }],
        ms: 1.5,
      },
      {
        file: "b.sql",
        line: 2,
        sql: "TRUNCATE t",
        locks: [{ relation: "t", mode: "AccessExclusiveLock" as const }],
        rewrites: [],
        emptied: ["t", "t_pkey"],
        ms: 2,
      },
      {
        file: "b.sql",
        line: 3,
        sql: "VACUUM FULL t",
        locks: [{ relation: "t", mode: "AccessExclusiveLock" as const }],
        rewrites: ["t", "t_pkey"],
        autocommit: true as const,
        ms: 9,
      },
      {
        file: "b.sql",
        line: 4,
        sql: "ALTER TABLE t ADD COLUMN c int NOT NULL",
        locks: [],
        rewrites: [],
        ms: 0.5,
        error: 'column "c" of relation "t" contains null values',
      },
    ]
    expect(
      renderTraceText({ statements, changed: [] }, "db")
        .split("\n")
        .filter((_, i) => i % 2 === 0),
    ).to.deep.equal([
      "b.sql:1 1.5 ms; locks AccessShareLock t; reads t (200 rows)",
      "b.sql:2 2 ms; locks AccessExclusiveLock t; empties t, t_pkey",
      "b.sql:3 9 ms (autocommit, watched); locks AccessExclusiveLock t; rewrites t, t_pkey",
      'b.sql:4 0.5 ms; no new locks; FAILED: column "c" of relation "t" contains null values',
      "traced on db, left exactly as it was",
    ])
  })
})
