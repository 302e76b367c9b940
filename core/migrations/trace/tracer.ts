/**
 * The live tracer. Runs the migrations' statements one by one inside a single transaction on a
 * scratch database and always rolls it back; per statement it records the relation locks its
 * backend gained (pg_locks), the rows it read (pg_stat_xact_user_tables), the relations whose
 * relfilenode changed (rewrites, by name) and the time. Statements that cannot run in a
 * transaction block (CONCURRENTLY, VACUUM, REINDEX SCHEMA) run afterwards on their own connection
 * in autocommit, watched from a second one, and are undone where they can be. A catalog snapshot
 * before and after proves the database was left as it was.
 */
import { performance } from "node:perf_hooks"
import { randomBytes } from "node:crypto"
import { displayName, pick } from "../ast.js"
import { type LockMode, type RelationLock, statementLocks, strength } from "../locks.js"
import { type StatementOperation, statementOperation } from "../operation.js"
import { type ParsedFile, parseFile } from "../parse.js"
import { type Connection, connect, quoteKey } from "../pg-client.js"
import { DEFAULT_PG_VERSION, type PgVersion } from "../pg-version.js"
import { type Schema, applyDdl, cloneSchema, emptySchema } from "../schema.js"
import type { SqlFile } from "../sql-file.js"
import { catalogSnapshot, relationSnapshot, rewrittenRelations, snapshotDiff } from "./catalog.js"
import { type WatchConnections, traceAutocommit } from "./autocommit.js"
import { type Estimate, estimate } from "./estimate.js"
import { type TracedLock, type TracedRead, newLocks, ownLocks, ownReads, readsBetween } from "./observe.js"
import { type Step, planSteps } from "./plan.js"

export interface TracedStatement {
  file: string
  line: number
  sql: string
  locks: TracedLock[]
  rewrites: string[]
  /** Rows the statement read per table (sequential and index fetches), in the traced transaction. */
  reads?: TracedRead[]
  /** Relations a TRUNCATE gave new, empty storage (a relfilenode change that is not a rewrite of the rows). */
  emptied?: string[]
  ms: number
  /**
   * Locks the statement needs that its transaction already held from an earlier statement (so
   * pg_locks shows nothing new for them): the relation, the mode held, and the line that took it.
   */
  held?: { relation: string; mode: LockMode; since: number }[]
  /** Ran outside the transaction on its own connection in autocommit, watched from a second one. */
  autocommit?: true
  /** PostgreSQL's error, when the statement failed on the traced database: the trace fails. */
  error?: string
  note?: string
  /** Lock time on the target, from its table size. */
  estimate?: Estimate
}

export interface TraceResult {
  statements: TracedStatement[]
  /** The catalog lines that differ between before and after; empty means left exactly as it was. */
  changed: string[]
}

export interface TraceInput {
  files: readonly SqlFile[]
  /** The database to run on: a scratch copy of the target's schema. */
  url: string
  /** The tracer owns the database and drops it afterwards, so statements that cannot be undone exactly may run. */
  disposable: boolean
  /** The target's schema with table sizes (schemaFromDatabase), for estimates. */
  target?: Schema
  /** How long a statement may wait for a lock held by another session on the traced database. */
  lockTimeoutMs?: number
}

const TRANSACTION_CONTROL_NOTE =
  "transaction control: the tracer runs every statement in its own transaction and rolls it back"

export async function traceMigrations(input: TraceInput): Promise<TraceResult> {
  const parsed: ParsedFile[] = []
  for (const file of input.files) {
    const result = await parseFile(file)
    if (result.syntaxError)
      throw new Error(
        `${file.path}:${result.syntaxError.line}: ${result.syntaxError.message}; run migrations check first`,
      )
    parsed.push(result)
  }
  const steps = planSteps(parsed)
  const runnerName = `deploy-pipeline-trace-${randomBytes(6).toString("hex")}`
  const runner = await connect(input.url, runnerName)
  const others: Connection[] = []
  try {
    const sampler = await connect(input.url, `${runnerName}-watch`)
    others.push(sampler)
    const gate = async (name: string) => {
      const db = await connect(input.url, name)
      others.push(db)
      return { db, name }
    }
    const queueGate = await gate(`${runnerName}-gate1`)
    const snapshotGate = await gate(`${runnerName}-gate2`)
    const expected = expectations(steps, input.target)
    const before = await catalogSnapshot(sampler)
    const statements = await traceInTransaction(runner, steps, expected, input.lockTimeoutMs ?? 5000)
    for (const [i, step] of steps.entries()) {
      if (step.kind !== "autocommit") continue
      statements[i] = await traceAutocommitStep(
        { runner, runnerName, sampler, queueGate, snapshotGate },
        step,
        input.disposable,
      )
    }
    addEstimates(statements, steps, expected, input.target)
    const after = await catalogSnapshot(sampler)
    return { statements, changed: snapshotDiff(before, after) }
  } finally {
    await runner.end().catch(() => undefined)
    for (const c of others) await c.end().catch(() => undefined)
  }
}

interface Expectation {
  operation: StatementOperation
  locks: RelationLock[]
}

/** What the static model expects of each step, on the schema as the steps before it left it. */
function expectations(steps: readonly Step[], target: Schema | undefined): Expectation[] {
  const state = target ? cloneSchema(target) : emptySchema()
  const version: PgVersion = target?.version ?? DEFAULT_PG_VERSION
  return steps.map((step) => {
    const expectation = {
      operation: statementOperation(step.stmt.node, version, state),
      locks: statementLocks(step.stmt.node, version, state),
    }
    applyDdl(state, step.stmt.node)
    return expectation
  })
}

async function traceInTransaction(
  db: Connection,
  steps: readonly Step[],
  expected: readonly Expectation[],
  lockTimeoutMs: number,
): Promise<TracedStatement[]> {
  const out: TracedStatement[] = []
  /** The strongest lock the transaction holds per relation, and the line that took it. */
  const held = new Map<string, { mode: LockMode; since: number }>()
  await db.query("BEGIN")
  try {
    await db.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`)
    for (const step of steps) {
      const base = { file: step.file, line: step.stmt.line, sql: step.stmt.sql }
      if (step.kind === "transaction-control" || step.kind === "not-run") {
        out.push({
          ...base,
          locks: [],
          rewrites: [],
          ms: 0,
          note: step.kind === "not-run" ? step.note : TRANSACTION_CONTROL_NOTE,
        })
        continue
      }
      // An autocommit statement's stand-in keeps later statements' state right; its own trace comes later.
      if (step.kind === "autocommit") {
        out.push({
          ...base,
          ...(step.standIn ? await runTraced(db, step.standIn, false) : { locks: [], rewrites: [], ms: 0 }),
        })
        continue
      }
      const traced = await runTraced(db, step.stmt.sql, pick(step.stmt.node, "TruncateStmt") !== undefined)
      const already = (expected[out.length]?.locks ?? []).flatMap((lock) => {
        const h = held.get(displayName(lock.relation))
        const gained = traced.locks.some(
          (l) => l.relation === displayName(lock.relation) && strength(l.mode) >= strength(lock.mode),
        )
        return h && !gained && strength(h.mode) >= strength(lock.mode)
          ? [{ relation: displayName(lock.relation), mode: h.mode, since: h.since }]
          : []
      })
      for (const lock of traced.locks) {
        const h = held.get(lock.relation)
        if (!h || strength(lock.mode) > strength(h.mode))
          held.set(lock.relation, { mode: lock.mode, since: step.stmt.line })
      }
      out.push({ ...base, ...traced, ...(already.length > 0 ? { held: already } : {}) })
    }
  } finally {
    await db.query("ROLLBACK")
  }
  return out
}

async function runTraced(
  db: Connection,
  sql: string,
  truncates: boolean,
): Promise<Omit<TracedStatement, "file" | "line" | "sql">> {
  const relationsBefore = await relationSnapshot(db)
  const locksBefore = await ownLocks(db)
  const readsBefore = await ownReads(db)
  await db.query("SAVEPOINT deploy_pipeline_trace")
  const started = performance.now()
  try {
    await db.query(sql)
  } catch (error) {
    const ms = round(performance.now() - started)
    await db.query("ROLLBACK TO SAVEPOINT deploy_pipeline_trace")
    return { locks: [], rewrites: [], ms, error: (error as Error).message }
  }
  const ms = round(performance.now() - started)
  const locksAfter = await ownLocks(db)
  const readsAfter = await ownReads(db)
  const relationsAfter = await relationSnapshot(db)
  await db.query("RELEASE SAVEPOINT deploy_pipeline_trace")
  // A relation renamed by the statement is named as it was when the statement took its lock.
  const names = new Map([...relationsAfter.names, ...relationsBefore.names])
  const locks = newLocks(locksBefore, locksAfter, names).map((l) => ({
    relation: displayName(l.relation),
    mode: l.mode,
  }))
  const changed = rewrittenRelations(relationsBefore, relationsAfter).map(displayName)
  const reads = readsBetween(readsBefore, readsAfter).map((r) => ({ relation: displayName(r.relation), rows: r.rows }))
  return {
    locks,
    rewrites: truncates ? [] : changed,
    ...(reads.length > 0 ? { reads } : {}),
    ...(truncates && changed.length > 0 ? { emptied: changed } : {}),
    ms,
  }
}

async function traceAutocommitStep(
  c: WatchConnections,
  step: Extract<Step, { kind: "autocommit" }>,
  disposable: boolean,
): Promise<TracedStatement> {
  const base = { file: step.file, line: step.stmt.line, sql: step.stmt.sql, autocommit: true as const }
  if (!step.reversible && !disposable) {
    return {
      ...base,
      locks: [],
      rewrites: [],
      ms: 0,
      note: "not run: it cannot be undone exactly on this database; trace on a scratch copy (the default, without --in-place)",
    }
  }
  const result = await traceAutocommit(c, step.stmt.sql, step.scope)
  for (const name of result.created) {
    await c.runner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteKey(name)}`)
  }
  const undone = result.created.length > 0 ? `undone: dropped ${result.created.map(displayName).join(", ")}` : undefined
  // Run after the traced transaction was rolled back, it cannot see what earlier statements created: not a failure of its own.
  const excused = result.error !== undefined && step.dependsOn !== undefined
  const notTraced = excused
    ? `not traced: it works on ${displayName(step.dependsOn!.relation)}, which line ${step.dependsOn!.line} created in the transaction the tracer rolled back (${result.error})`
    : undefined
  return {
    ...base,
    locks: result.locks.map((l) => ({ relation: displayName(l.relation), mode: l.mode })),
    rewrites: result.rewrites.map(displayName),
    ms: round(result.ms),
    ...(result.error && !excused ? { error: result.error } : {}),
    ...(notTraced || undone ? { note: [notTraced, undone].filter(Boolean).join("; ") } : {}),
  }
}

function addEstimates(
  statements: TracedStatement[],
  steps: readonly Step[],
  expected: readonly Expectation[],
  target: Schema | undefined,
): void {
  for (const [i, step] of steps.entries()) {
    const traced = statements[i]
    const operation = expected[i]?.operation
    if (!traced || !operation || step.kind === "transaction-control") continue
    if (!operation.table || traced.error) continue
    // The trace is the authority on rewrites: a predicted rewrite that did not happen was binary-coercible.
    const table = displayName(operation.table)
    const kind = traced.rewrites.includes(table)
      ? "rewrite"
      : operation.kind === "rewrite"
        ? "metadata"
        : operation.kind
    const size = target?.tables.get(operation.table)
    const e = estimate(kind, table, size)
    if (e) traced.estimate = e
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100
