/**
 * Traces one statement that PostgreSQL runs outside any transaction block (CONCURRENTLY, VACUUM,
 * REINDEX SCHEMA, …). It runs on the runner connection in autocommit while a second connection
 * samples pg_locks for the runner's application_name. On a small scratch table these statements
 * finish between two samples, so two "gates" on every table the statement works on hold it where
 * it can be seen:
 *  1. a transaction holding ShareUpdateExclusiveLock on the tables: the statement queues for its
 *     first lock on one of them, and the sample shows the mode it asked for;
 *  2. a REPEATABLE READ transaction that has planned a query on each table, and so holds
 *     AccessShareLock on the tables and their indexes: CONCURRENTLY statements wait for such
 *     transactions mid-way, holding their locks; AccessExclusiveLock requests (VACUUM FULL on the
 *     table, REINDEX on each index) queue behind it.
 * A gate opens as soon as the runner is seen queued for a lock that conflicts with one the gate
 * holds, or waiting for the gate's own virtual transaction, so each adds about one sample.
 */
import { performance } from "node:perf_hooks"
import { conflicts } from "../locks.js"
import type { Connection, Queryable } from "../pg-client.js"
import { quoteKey } from "../pg-client.js"
import { relationSnapshot, rewrittenRelations } from "./catalog.js"
import { type TracedLock, sampleLocks, sortLocks } from "./observe.js"
import type { Scope } from "./plan.js"

export interface AutocommitResult {
  /** Locks seen granted, and locks it queued for (it holds them once granted). */
  locks: TracedLock[]
  rewrites: string[]
  ms: number
  error?: string
  /** Relations the statement created (a CREATE INDEX CONCURRENTLY's index, valid or not). */
  created: string[]
  /** Relations it removed. */
  removed: string[]
}

/** A connection that holds locks for a while, found in pg_locks by its application_name. */
export interface Gate {
  db: Queryable
  name: string
}

export interface WatchConnections {
  runner: Connection
  runnerName: string
  sampler: Queryable
  /** Holds gate 1 (the queue for the first lock). */
  queueGate: Gate
  /** Holds gate 2 (an old snapshot and AccessShareLocks on the tables and their indexes). */
  snapshotGate: Gate
}

/** Longest the gates stay closed if the statement never waits on them. */
const GATE_LIMIT_MS = 2000

const USER_TABLES = `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`

/** The tables to gate: those named, the table of the index named, every table of a schema, or every user table. */
export async function gateTables(db: Queryable, scope: Scope): Promise<string[]> {
  if ("tables" in scope) return scope.tables
  if ("index" in scope) {
    const row = (
      await db.query<{ name: string | null }>(
        `SELECT n.nspname || '.' || c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE i.indexrelid = to_regclass($1)`,
        [quoteKey(scope.index)],
      )
    ).rows[0]
    return row?.name ? [row.name] : []
  }
  const rows =
    "schema" in scope
      ? await db.query<{ name: string }>(`${USER_TABLES} AND n.nspname = $1 ORDER BY 1`, [scope.schema])
      : await db.query<{ name: string }>(`${USER_TABLES} ORDER BY 1`)
  return rows.rows.map((r) => r.name)
}

export async function traceAutocommit(c: WatchConnections, sql: string, scope: Scope): Promise<AutocommitResult> {
  const before = await relationSnapshot(c.sampler)
  const tables = (await gateTables(c.sampler, scope)).filter((t) => before.filenodes.has(t))
  await c.snapshotGate.db.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
  const gateXid = (
    await c.snapshotGate.db.query<{ vxid: string }>(
      "SELECT virtualtransaction AS vxid FROM pg_locks WHERE pid = pg_backend_pid() LIMIT 1",
    )
  ).rows[0]?.vxid
  // Planning a query locks the table and every index of it.
  if (tables.length > 0)
    await c.snapshotGate.db.query(tables.map((t) => `SELECT FROM ONLY ${quoteKey(t)} LIMIT 0`).join(";\n"))
  await c.queueGate.db.query("BEGIN")
  if (tables.length > 0)
    await c.queueGate.db.query(`LOCK TABLE ${tables.map(quoteKey).join(", ")} IN SHARE UPDATE EXCLUSIVE MODE`)
  const gates = [c.queueGate, c.snapshotGate]
  const held = new Map<Gate, TracedLock[]>()
  for (const gate of gates) held.set(gate, (await sampleLocks(c.sampler, gate.name)).granted)
  const closed = new Set(gates)
  const openGate = async (gate: Gate) => {
    if (closed.delete(gate)) await gate.db.query("ROLLBACK")
  }

  const seen = new Map<string, TracedLock>()
  let done = false
  let error: string | undefined
  const started = performance.now()
  let ms = 0
  const running = c.runner
    .query(sql)
    .then(
      () => undefined,
      (e: Error) => {
        error = e.message
      },
    )
    .finally(() => {
      ms = performance.now() - started
      done = true
    })
  try {
    while (!done) {
      const sample = await sampleLocks(c.sampler, c.runnerName)
      for (const lock of [...sample.granted, ...sample.requested]) seen.set(`${lock.relation}:${lock.mode}`, lock)
      // A gate opens on a wait it causes: a queued lock that conflicts with one it holds, or (the
      // snapshot gate) a wait for its very transaction, not, say, for autovacuum.
      for (const gate of [...closed]) {
        if (
          sample.requested.some((r) =>
            held.get(gate)?.some((h) => h.relation === r.relation && conflicts(r.mode, h.mode)),
          )
        )
          await openGate(gate)
      }
      if (gateXid !== undefined && sample.waitingForTransactions.includes(gateXid))
        for (const gate of gates) await openGate(gate)
      if (performance.now() - started > GATE_LIMIT_MS) for (const gate of gates) await openGate(gate)
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
  } finally {
    for (const gate of gates) await openGate(gate)
    await running
  }
  const after = await relationSnapshot(c.sampler)
  return {
    locks: sortLocks([...seen.values()]),
    rewrites: rewrittenRelations(before, after),
    ms,
    ...(error ? { error } : {}),
    created: [...after.filenodes.keys()].filter((name) => !before.filenodes.has(name)).sort(),
    removed: [...before.filenodes.keys()].filter((name) => !after.filenodes.has(name)).sort(),
  }
}
