/** The tracer's pure parts: step planning, CONCURRENTLY stand-ins, snapshot diffs, rewrites by name, estimates. */
import { expect } from "chai"
import { parseFile } from "../../../core/migrations/parse.js"
import { type RelationState, rewrittenRelations, snapshotDiff } from "../../../core/migrations/trace/catalog.js"
import { METADATA_MS, REFERENCE_MS, estimate, estimateMs } from "../../../core/migrations/trace/estimate.js"
import { type LockMode, conflicts } from "../../../core/migrations/locks.js"
import { newLocks, readsBetween } from "../../../core/migrations/trace/observe.js"
import { planSteps, withoutConcurrently } from "../../../core/migrations/trace/plan.js"

describe("migrations/trace (pure parts)", () => {
  it("plans statements that cannot run in a transaction block, outside BEGIN, for the watched autocommit phase, and those inside for the transaction", async () => {
    const parsed = await parseFile({
      path: "p.sql",
      content: [
        "CREATE INDEX CONCURRENTLY i ON t (a);",
        "BEGIN;",
        "DROP INDEX CONCURRENTLY i;",
        "VACUUM t;",
        "COMMIT;",
        "REINDEX INDEX CONCURRENTLY public.j;",
        "ALTER TABLE p DETACH PARTITION c CONCURRENTLY;",
        "SELECT 1;",
        "VACUUM (FULL) t, u;",
        "VACUUM (FULL FALSE);",
        "ANALYZE t;",
        "REINDEX SCHEMA app;",
        "REINDEX TABLE t;",
        "CLUSTER;",
        "CREATE TABLE n (id int);",
        "VACUUM FULL n;",
        "DROP DATABASE other;",
      ].join("\n"),
    })
    expect(
      planSteps([parsed]).map((s) =>
        s.kind === "autocommit"
          ? [s.kind, s.stmt.line, s.standIn, s.scope, s.reversible, s.dependsOn]
          : s.kind === "not-run"
            ? [s.kind, s.stmt.line, s.note]
            : [s.kind, s.stmt.line],
      ),
    ).to.deep.equal([
      ["autocommit", 1, "CREATE INDEX i ON t (a)", { tables: ["public.t"] }, true, undefined],
      ["transaction-control", 2],
      ["in-transaction", 3],
      ["in-transaction", 4],
      ["transaction-control", 5],
      ["autocommit", 6, "REINDEX INDEX public.j", { index: "public.j" }, false, undefined],
      ["autocommit", 7, "ALTER TABLE p DETACH PARTITION c", { tables: ["public.p"] }, false, undefined],
      ["in-transaction", 8],
      ["autocommit", 9, undefined, { tables: ["public.t", "public.u"] }, false, undefined],
      ["autocommit", 10, undefined, { database: true }, true, undefined],
      ["in-transaction", 11],
      ["autocommit", 12, undefined, { schema: "app" }, false, undefined],
      ["in-transaction", 13],
      ["autocommit", 14, undefined, { database: true }, false, undefined],
      ["in-transaction", 15],
      ["autocommit", 16, undefined, { tables: ["public.n"] }, false, { relation: "public.n", line: 15 }],
      ["not-run", 17, "not run: it acts on the server, not on the traced database"],
    ])
  })

  it("cuts CONCURRENTLY by token, leaving identifiers and strings that contain the word", () => {
    expect(withoutConcurrently(`CREATE INDEX CONCURRENTLY "concurrently é" ON t ((a || 'CONCURRENTLY  x'))`)).to.equal(
      `CREATE INDEX "concurrently é" ON t ((a || 'CONCURRENTLY  x'))`,
    )
  })

  it("calls a relation rewritten when its relfilenode changed under the same name (an index rebuilt with a new oid counts)", () => {
    const state = (entries: [string, number, number][]): RelationState => ({
      filenodes: new Map(entries.map(([n, , f]) => [n, f])),
      names: new Map(entries.map(([n, o]) => [o, n])),
    })
    const before = state([
      ["public.t", 1, 100],
      ["public.t_pkey", 2, 101],
      ["public.v", 3, 0],
      ["public.gone", 4, 103],
    ])
    const after = state([
      ["public.t", 1, 200],
      ["public.t_pkey", 9, 201],
      ["public.v", 3, 0],
      ["public.new", 5, 300],
    ])
    expect(rewrittenRelations(before, after)).to.deep.equal(["public.t", "public.t_pkey"])
  })

  it("reports only locks gained, named, once per relation and mode, strongest first", () => {
    const names = new Map([
      [1, "public.t"],
      [2, "public.t_pkey"],
      [3, "public.t"],
    ])
    expect(
      newLocks(
        new Set(["1:AccessShareLock"]),
        new Set([
          "1:AccessShareLock",
          "1:ShareLock",
          "1:AccessExclusiveLock",
          "3:AccessExclusiveLock",
          "2:AccessExclusiveLock",
          "99:AccessShareLock",
        ]),
        names,
      ),
    ).to.deep.equal([
      { relation: "public.t", mode: "AccessExclusiveLock" },
      { relation: "public.t", mode: "ShareLock" },
      { relation: "public.t_pkey", mode: "AccessExclusiveLock" },
    ])
  })

  it("counts rows read per table between two readings, leaving out tables that read none", () => {
    expect(
      readsBetween(
        new Map([
          ["public.a", 10],
          ["public.b", 5],
        ]),
        new Map([
          ["public.b", 5],
          ["public.a", 30],
          ["public.c", 7],
        ]),
      ),
    ).to.deep.equal([
      { relation: "public.a", rows: 20 },
      { relation: "public.c", rows: 7 },
    ])
  })

  it("knows which lock modes conflict, both ways, as PostgreSQL's table does", () => {
    const pairs: [LockMode, LockMode, boolean][] = [
      ["AccessShareLock", "AccessExclusiveLock", true],
      ["AccessShareLock", "ShareLock", false],
      ["ShareUpdateExclusiveLock", "ShareUpdateExclusiveLock", true],
      ["ShareLock", "ShareLock", false],
      ["ShareLock", "RowExclusiveLock", true],
      ["RowExclusiveLock", "RowExclusiveLock", false],
      ["ExclusiveLock", "RowShareLock", true],
    ]
    for (const [a, b, expected] of pairs)
      expect([conflicts(a, b), conflicts(b, a)], `${a} / ${b}`).to.deep.equal([expected, expected])
  })

  it("diffs catalog snapshots line by line", () => {
    expect(
      snapshotDiff({ indexes: ["a", "b"], relations: ["t"] }, { indexes: ["a", "c"], relations: ["t"] }),
    ).to.deep.equal(["- indexes: b", "+ indexes: c"])
    expect(snapshotDiff({ indexes: ["a"] }, { indexes: ["a"] })).to.deep.equal([])
  })

  it("estimates lock time from the measured 138 MB reference runs", () => {
    expect(REFERENCE_MS).to.deep.equal({
      rewrite: 4100,
      dml: 4100,
      "unique-index": 967,
      index: 558,
      scan: 411,
      "fk-scan": 272,
    })
    expect([
      estimateMs("rewrite", 138_000_000),
      estimateMs("index", 1_380_000_000),
      estimateMs("scan", 0),
      estimateMs("metadata", 5e9),
      estimateMs("none", 5e9),
    ]).to.deep.equal([4103, 5583, 3, METADATA_MS, 0])
    expect(estimate("fk-scan", "book", { rows: 999_999.6, bytes: 276_000_000 })).to.deep.equal({
      operation: "fk-scan",
      table: "book",
      rows: 1_000_000,
      bytes: 276_000_000,
      ms: 547,
    })
    expect(estimate("fk-scan", "book", undefined)).to.equal(undefined)
  })
})
