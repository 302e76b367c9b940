/**
 * The measurements of a rehearsal on the scratch database, from a watcher connection of its own:
 * each user table's relfilenode and cumulative row counters before and after a migration (a
 * relfilenode change is a rewrite, as the tracer reads it), and samples of pg_locks while the
 * migration runs, which give each table's locks and how long they were held. A lock held for less
 * than one sample may go unseen; `LockWatch.sampleMs` says how fine the samples were.
 */
import { performance } from "node:perf_hooks"
import type { Queryable } from "../pg-client.js"
import { isLockMode } from "../trace/observe.js"
import type { LockMode } from "../locks.js"

export interface TableState {
  /** 0 when it has no storage (a partitioned table). */
  filenode: number
  /** Live rows as the cumulative statistics count them (the restore's COPY counts each row it loads). */
  liveRows: number
  /** Rows inserted, updated or deleted so far (cumulative). */
  written: number
  /** Rows read so far by sequential scans and index fetches (cumulative). */
  read: number
}

const USER =
  "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"

/** Every user table of the database by schema.name. Clears the statistics snapshot first, so the counters are current. */
export async function tableStates(db: Queryable): Promise<Map<string, TableState>> {
  await db.query("SELECT pg_stat_clear_snapshot()")
  const rows = (
    await db.query<{ name: string; filenode: string | null; live: string; written: string; read: string }>(
      `SELECT n.nspname || '.' || c.relname AS name, pg_relation_filenode(c.oid)::text AS filenode,
            coalesce(s.n_live_tup, 0)::text AS live,
            (coalesce(s.n_tup_ins, 0) + coalesce(s.n_tup_upd, 0) + coalesce(s.n_tup_del, 0))::text AS written,
            (coalesce(s.seq_tup_read, 0) + coalesce(s.idx_tup_fetch, 0))::text AS read
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE c.relkind IN ('r', 'p') AND ${USER}`,
    )
  ).rows
  return new Map(
    rows.map((r) => [
      r.name,
      { filenode: Number(r.filenode ?? 0), liveRows: Number(r.live), written: Number(r.written), read: Number(r.read) },
    ]),
  )
}

/**
 * One lock seen: how long its longest continuous hold lasted (from the first to the last of
 * consecutive samples that saw it granted) and how many separate holds there were (a
 * non-atomic migration takes a lock once per statement).
 */
export interface LockSpan {
  table: string
  mode: LockMode
  longestMs: number
  holds: number
}

export interface LockWatch {
  spans: LockSpan[]
  /** Mean time between two samples: the resolution of every held time. */
  sampleMs: number
  samples: number
}

/** Granted table locks of every other session on this database (the migrate container's). */
const SAMPLE = `SELECT n.nspname || '.' || c.relname AS name, l.mode
  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND c.relkind IN ('r', 'p') AND ${USER}`

interface Run {
  span: LockSpan
  /** When the current hold was first seen, and the sample that last saw it. */
  since: number
  lastSample: number
}

/** Samples pg_locks until `stop` is called; returns each (table, mode) seen with its holds. */
export function watchLocks(db: Queryable): { stop(): Promise<LockWatch> } {
  const runs = new Map<string, Run>()
  const started = performance.now()
  let running = true
  let samples = 0
  const loop = (async () => {
    while (running) {
      const rows = (await db.query<{ name: string; mode: string }>(SAMPLE)).rows
      const at = performance.now() - started
      samples += 1
      for (const row of rows) {
        if (!isLockMode(row.mode)) continue
        const key = `${row.name}:${row.mode}`
        const run = runs.get(key)
        if (!run) {
          runs.set(key, {
            span: { table: row.name, mode: row.mode, longestMs: 0, holds: 1 },
            since: at,
            lastSample: samples,
          })
          continue
        }
        // Seen in the sample before too: the same hold goes on; else a new hold began.
        if (run.lastSample !== samples - 1) {
          run.span.holds += 1
          run.since = at
        }
        run.lastSample = samples
        run.span.longestMs = Math.max(run.span.longestMs, at - run.since)
      }
      // Yield to other work of this process (a relay to the container), then sample again at once.
      await new Promise((resolve) => setImmediate(resolve))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      const elapsed = performance.now() - started
      return {
        spans: [...runs.values()].map((r) => r.span),
        sampleMs: samples > 0 ? elapsed / samples : elapsed,
        samples,
      }
    },
  }
}

/** Waits until no other session is connected to this database (the migrate container's backend has exited and flushed its statistics). */
export async function waitForOtherSessions(db: Queryable, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    if (rows[0]?.n === 0) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(
    `another session stayed connected to the scratch database for ${timeoutMs} ms after the migration's container exited`,
  )
}
