/**
 * Reading pg_locks: a backend's own relation locks (inside the traced transaction), and samples of
 * another session's locks found by application_name (for CONCURRENTLY statements, which run
 * outside any transaction and release their locks before they return).
 */
import { LOCK_MODES, type LockMode, strength } from "../locks.js"
import type { Queryable } from "../pg-client.js"

export interface TracedLock {
  relation: string
  mode: LockMode
}

/** `oid:mode` keys of the relation locks this backend holds. */
export async function ownLocks(db: Queryable): Promise<Set<string>> {
  const rows = (
    await db.query<{ oid: string; mode: string }>(
      "SELECT relation::int8::text AS oid, mode FROM pg_locks WHERE locktype = 'relation' AND granted AND pid = pg_backend_pid()",
    )
  ).rows
  return new Set(rows.map((r) => `${r.oid}:${r.mode}`))
}

/** Locks in `after` and not in `before`, named through `names` (relations it cannot name, the catalogs, are left out). */
export function newLocks(
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
  names: ReadonlyMap<number, string>,
): TracedLock[] {
  const out: TracedLock[] = []
  for (const key of after) {
    if (before.has(key)) continue
    const [oid, mode] = key.split(":") as [string, string]
    const relation = names.get(Number(oid))
    // A relation rebuilt under its old name (an index ALTER TYPE re-creates) has two oids and one name.
    if (relation && isLockMode(mode) && !out.some((l) => l.relation === relation && l.mode === mode))
      out.push({ relation, mode })
  }
  return sortLocks(out)
}

export interface TracedRead {
  relation: string
  rows: number
}

/** Rows this transaction has read so far per user table (sequential scans plus index fetches), by name. */
export async function ownReads(db: Queryable): Promise<Map<string, number>> {
  const rows = (
    await db.query<{ name: string; n: string }>(
      `SELECT schemaname || '.' || relname AS name, (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text AS n
     FROM pg_stat_xact_user_tables WHERE schemaname NOT LIKE 'pg_temp%'`,
    )
  ).rows
  return new Map(rows.map((r) => [r.name, Number(r.n)]))
}

/** The rows read between two readings, per table that read any, by name. */
export function readsBetween(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): TracedRead[] {
  return [...after]
    .flatMap(([relation, n]) =>
      n > (before.get(relation) ?? 0) ? [{ relation, rows: n - (before.get(relation) ?? 0) }] : [],
    )
    .sort((a, b) => (a.relation < b.relation ? -1 : 1))
}

export function sortLocks(locks: TracedLock[]): TracedLock[] {
  return locks.sort((a, b) =>
    a.relation === b.relation ? strength(b.mode) - strength(a.mode) : a.relation < b.relation ? -1 : 1,
  )
}

export const isLockMode = (mode: string): mode is LockMode => (LOCK_MODES as readonly string[]).includes(mode)

export interface LockSample {
  /** Granted relation locks in user schemas, by name. */
  granted: TracedLock[]
  /** Relation locks it is queued for. */
  requested: TracedLock[]
  /** It is queued for a relation lock. */
  waitingForRelation: boolean
  /** The virtual transactions it waits to finish (CONCURRENTLY statements wait for older snapshots and lockers). */
  waitingForTransactions: string[]
}

/** One sample of the locks held by the sessions with this application_name. */
export async function sampleLocks(db: Queryable, applicationName: string): Promise<LockSample> {
  const rows = (
    await db.query<{
      name: string | null
      mode: string
      granted: boolean
      locktype: string
      virtualxid: string | null
    }>(
      `SELECT CASE WHEN n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' THEN n.nspname || '.' || c.relname END AS name,
            l.mode, l.granted, l.locktype, l.virtualxid
     FROM pg_locks l
     LEFT JOIN pg_class c ON l.locktype = 'relation' AND c.oid = l.relation
     LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE l.pid IN (SELECT pid FROM pg_stat_activity WHERE application_name = $1)`,
      [applicationName],
    )
  ).rows
  return {
    granted: rows.flatMap((r) =>
      r.granted && r.locktype === "relation" && r.name && isLockMode(r.mode)
        ? [{ relation: r.name, mode: r.mode }]
        : [],
    ),
    requested: rows.flatMap((r) =>
      !r.granted && r.locktype === "relation" && r.name && isLockMode(r.mode)
        ? [{ relation: r.name, mode: r.mode }]
        : [],
    ),
    waitingForRelation: rows.some((r) => !r.granted && r.locktype === "relation"),
    waitingForTransactions: rows.flatMap((r) =>
      !r.granted && r.locktype === "virtualxid" && r.virtualxid ? [r.virtualxid] : [],
    ),
  }
}
