/**
 * Traces one CONCURRENTLY statement. It runs on the runner connection outside any transaction
 * while a second connection samples pg_locks for the runner's application_name. On an empty scratch
 * table these statements finish between two samples, so two "gates" hold them where they can be seen:
 *  1. a transaction holding ShareUpdateExclusiveLock on the table: the statement queues for its
 *     first lock, and the sample shows the mode it asked for; then this gate opens;
 *  2. a REPEATABLE READ transaction with an AccessShareLock on the table: CONCURRENTLY statements
 *     wait for such transactions mid-way, holding their locks, and the sample shows them granted.
 * Each gate opens as soon as the runner is seen waiting on it (a relation lock for the first, the
 * gate's own virtual transaction for the second), so the added time is about one sample.
 */
import { performance } from "node:perf_hooks"
import type { Connection, Queryable } from "../pg-client.js"
import { quoteIdent } from "../pg-client.js"
import { relationSnapshot, rewrittenRelations } from "./catalog.js"
import { type TracedLock, sampleLocks, sortLocks } from "./observe.js"

export interface ConcurrentResult {
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

export interface ConcurrentConnections {
  runner: Connection
  runnerName: string
  sampler: Queryable
  /** Holds gate 1 (the queue for the first lock). */
  queueGate: Queryable
  /** Holds gate 2 (an old snapshot and an AccessShareLock). */
  snapshotGate: Queryable
}

/** Longest the gates stay closed if the statement never waits on them. */
const GATE_LIMIT_MS = 2000

/** The table a CONCURRENTLY statement works on: given, or the table of the index it names. */
export async function gateTable(db: Queryable, table: string | undefined, index: string | undefined): Promise<string | undefined> {
  if (table) return table
  if (!index) return undefined
  const row = (await db.query<{ name: string | null }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE i.indexrelid = to_regclass($1)`,
    [quoted(index)],
  )).rows[0]
  return row?.name ?? undefined
}

const quoted = (key: string) => `${quoteIdent(key.slice(0, key.indexOf(".")))}.${quoteIdent(key.slice(key.indexOf(".") + 1))}`

export async function traceConcurrent(c: ConcurrentConnections, sql: string, table: string | undefined): Promise<ConcurrentResult> {
  const before = await relationSnapshot(c.sampler)
  const exists = table !== undefined && before.filenodes.has(table)
  await c.snapshotGate.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
  const gateXid = (await c.snapshotGate.query<{ vxid: string }>("SELECT virtualtransaction AS vxid FROM pg_locks WHERE pid = pg_backend_pid() LIMIT 1")).rows[0]?.vxid
  if (exists) await c.snapshotGate.query(`LOCK TABLE ${quoted(table)} IN ACCESS SHARE MODE`)
  await c.queueGate.query("BEGIN")
  if (exists) await c.queueGate.query(`LOCK TABLE ${quoted(table)} IN SHARE UPDATE EXCLUSIVE MODE`)
  const closed = new Set([c.queueGate, c.snapshotGate])
  const openGate = async (gate: Queryable) => {
    if (closed.delete(gate)) await gate.query("ROLLBACK")
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
      // Each gate opens on its own wait: the snapshot gate only when the runner waits for that very
      // transaction (not, say, for autovacuum), so it is sure to hold the statement mid-way.
      if (sample.waitingForRelation) await openGate(c.queueGate)
      if (gateXid !== undefined && sample.waitingForTransactions.includes(gateXid)) for (const gate of [c.queueGate, c.snapshotGate]) await openGate(gate)
      if (performance.now() - started > GATE_LIMIT_MS) for (const gate of [c.queueGate, c.snapshotGate]) await openGate(gate)
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
  } finally {
    for (const gate of [c.queueGate, c.snapshotGate]) await openGate(gate)
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
