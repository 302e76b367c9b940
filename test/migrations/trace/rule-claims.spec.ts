/**
 * What a rule claims against what the tracer measures, on the fixture schema filled with rows: for
 * each corpus case of the rules that claim a lock, a rewrite or a scan, the claim (the finding's
 * lock and rewrite, and the cost model's scan) equals the measurement (the strongest lock the
 * transaction holds on that relation at that line, a relfilenode change, the statement reading
 * every row of it). Cases whose rule must stay quiet (inline REFERENCES with no DEFAULT,
 * VACUUM (FULL FALSE), the safe primary key) compare the lock model with the measurement instead.
 */
import { expect } from "chai"
import { analyzeFiles } from "../../../core/migrations/analyze.js"
import { displayName } from "../../../core/migrations/ast.js"
import { type LockMode, statementLocks, strength } from "../../../core/migrations/locks.js"
import { statementOperation } from "../../../core/migrations/operation.js"
import { blankMetaCommands, parseFile } from "../../../core/migrations/parse.js"
import { DEFAULT_PG_VERSION } from "../../../core/migrations/pg-version.js"
import type { RuleId } from "../../../core/migrations/rules/catalog.js"
import { type Schema, applyDdl, cloneSchema } from "../../../core/migrations/schema.js"
import { type TracedStatement, traceMigrations } from "../../../core/migrations/trace/tracer.js"
import { corpusFile, fixtureSchema, schemaFixtureText } from "../helpers/corpus.js"
import { type TestDatabase, createTestDatabase } from "../helpers/pg.js"
import { LIBRARY_ROWS, MORE_ROWS } from "../helpers/rows.js"

interface Case {
  file: string
  line: number
  /** The rule whose finding carries the claim; `quiet` names a rule that must not fire (its claim is the lock model's). */
  rule: RuleId | { quiet: RuleId }
  /** Claim and measurement, both: the relation, its strongest lock, a rewrite, a scan of every row. */
  expect: { relation: string; lock: LockMode; rewrites: boolean; scans: boolean }
}

const CASES: Case[] = [
  {
    file: "61_domain_add_constraint.sql",
    line: 1,
    rule: "domain-add-constraint",
    expect: { relation: "shop_orderline", lock: "ShareLock", rewrites: false, scans: true },
  },
  {
    file: "62_domain_set_not_null.sql",
    line: 1,
    rule: "domain-set-not-null",
    expect: { relation: "shop_orderline", lock: "ShareLock", rewrites: false, scans: true },
  },
  {
    file: "63_domain_validate_constraint.sql",
    line: 2,
    rule: "domain-validate-constraint",
    expect: { relation: "shop_orderline", lock: "ShareLock", rewrites: false, scans: true },
  },
  {
    file: "64_primary_key_using_index_nullable.sql",
    line: 4,
    rule: "primary-key-using-index-nullable",
    expect: { relation: "shop_legacy", lock: "AccessExclusiveLock", rewrites: false, scans: true },
  },
  {
    file: "65_primary_key_using_index_check_backed.sql",
    line: 7,
    rule: { quiet: "primary-key-using-index-nullable" },
    expect: { relation: "shop_legacy", lock: "AccessExclusiveLock", rewrites: false, scans: false },
  },
  {
    file: "66_django_add_column_check.sql",
    line: 5,
    rule: "add-column-check",
    expect: { relation: "library_book", lock: "AccessExclusiveLock", rewrites: false, scans: true },
  },
  {
    file: "67_select_after_exclusive_lock.sql",
    line: 3,
    rule: "statements-after-strong-lock",
    expect: { relation: "library_author", lock: "AccessExclusiveLock", rewrites: false, scans: true },
  },
  {
    file: "68_truncate.sql",
    line: 1,
    rule: "truncate",
    expect: { relation: "library_review", lock: "AccessExclusiveLock", rewrites: false, scans: false },
  },
  {
    file: "69_lock_table.sql",
    line: 2,
    rule: "lock-table",
    expect: { relation: "library_book", lock: "AccessExclusiveLock", rewrites: false, scans: false },
  },
  {
    file: "70_add_column_fk_with_default.sql",
    line: 2,
    rule: "foreign-key-without-not-valid",
    expect: { relation: "library_review", lock: "AccessExclusiveLock", rewrites: false, scans: true },
  },
  {
    file: "07_django_add_foreign_key.sql",
    line: 5,
    rule: { quiet: "foreign-key-without-not-valid" },
    expect: { relation: "library_book", lock: "AccessExclusiveLock", rewrites: false, scans: false },
  },
  {
    file: "71_vacuum_full_false.sql",
    line: 1,
    rule: { quiet: "vacuum-full" },
    expect: { relation: "library_book", lock: "ShareUpdateExclusiveLock", rewrites: false, scans: false },
  },
  {
    file: "44_vacuum_full_cluster.sql",
    line: 1,
    rule: "vacuum-full",
    expect: { relation: "library_book", lock: "AccessExclusiveLock", rewrites: true, scans: false },
  },
]

const strongest = (modes: LockMode[]): LockMode | undefined =>
  modes.reduce<LockMode | undefined>((a, m) => (a === undefined || strength(m) > strength(a) ? m : a), undefined)
const SCANS = new Set(["scan", "fk-scan"])

describe("migrations/trace: each rule's claim matches the trace on tables with rows", () => {
  let target: TestDatabase
  let schema: Schema
  let rowCounts: Map<string, number>
  before(async () => {
    target = await createTestDatabase(blankMetaCommands(schemaFixtureText()))
    await target.db.query(`${LIBRARY_ROWS}\n${MORE_ROWS}`)
    schema = await fixtureSchema()
    rowCounts = new Map()
    for (const name of new Set(CASES.map((c) => c.expect.relation)))
      rowCounts.set(
        name,
        Number((await target.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${name}`)).rows[0]?.n),
      )
  })
  after(() => target.drop())

  for (const c of CASES) {
    const rule = typeof c.rule === "string" ? c.rule : `no ${c.rule.quiet}`
    it(`${c.file}:${c.line} ${rule}: ${c.expect.lock} on ${c.expect.relation}${c.expect.rewrites ? ", rewrite" : ""}${c.expect.scans ? ", every row read" : ""}`, async () => {
      const file = corpusFile(c.file)
      const findings = (await analyzeFiles([file], { schema })).filter((f) => f.line === c.line)
      const { operation, locks } = modelAt(await statementsOf(c.file), c.line, schema)
      let claimed: Case["expect"]
      if (typeof c.rule === "string") {
        const finding = findings.find((f) => f.rule === c.rule)
        expect(finding, `${c.rule} at line ${c.line}`).to.not.equal(undefined)
        claimed = {
          relation: finding!.relation ?? "",
          lock: finding!.lock!,
          rewrites: finding!.rewrites,
          scans: SCANS.has(operation.kind),
        }
      } else {
        expect(findings.map((f) => f.rule)).to.not.include(c.rule.quiet)
        const lock = locks.find((l) => displayName(l.relation) === c.expect.relation)
        claimed = {
          relation: c.expect.relation,
          lock: lock!.mode,
          rewrites: operation.kind === "rewrite",
          scans: SCANS.has(operation.kind),
        }
      }

      // VACUUM FULL cannot be undone exactly: the tracer runs it only on a database it may change.
      const result = await traceMigrations({ files: [file], url: target.url, disposable: true })
      const traced = result.statements.find((s) => s.line === c.line)!
      expect(traced.error, traced.error).to.equal(undefined)
      const reads = traced.reads?.find((r) => r.relation === c.expect.relation)?.rows ?? 0
      expect([0, rowCounts.get(c.expect.relation)]).to.include(reads)
      const measured = {
        relation: c.expect.relation,
        lock: strongest(heldAt(result.statements, c.line, c.expect.relation))!,
        rewrites: traced.rewrites.includes(c.expect.relation),
        scans: reads > 0 && reads === rowCounts.get(c.expect.relation),
      }
      expect(claimed).to.deep.equal(measured)
      expect(measured).to.deep.equal(c.expect)
    })
  }
})

async function statementsOf(name: string) {
  return (await parseFile(corpusFile(name))).statements
}

/** The lock model and cost model for the statement at `line`, on the schema as the statements before it left it. */
function modelAt(statements: Awaited<ReturnType<typeof statementsOf>>, line: number, schema: Schema) {
  const state = cloneSchema(schema)
  for (const stmt of statements) {
    if (stmt.line === line)
      return {
        operation: statementOperation(stmt.node, DEFAULT_PG_VERSION, state),
        locks: statementLocks(stmt.node, DEFAULT_PG_VERSION, state),
      }
    applyDdl(state, stmt.node)
  }
  throw new Error(`no statement at line ${line}`)
}

/**
 * The locks held on `relation` when the statement at `line` ends: its own, those it needed and the
 * traced transaction already held (`held`), and those of earlier statements since the file's BEGIN.
 */
function heldAt(statements: readonly TracedStatement[], line: number, relation: string): LockMode[] {
  const upTo = statements.filter((s) => s.line <= line)
  const begin = upTo.filter((s) => /^\s*(BEGIN|START TRANSACTION)\b/i.test(s.sql)).at(-1)?.line
  return upTo
    .filter((s) => (begin === undefined ? s.line === line : s.line >= begin))
    .flatMap((s) =>
      [...s.locks, ...(s.line === line ? (s.held ?? []) : [])]
        .filter((l) => l.relation === relation)
        .map((l) => l.mode),
    )
}
