/**
 * LOCK TABLE in a migration: the lock is held until the transaction ends, so everything after it in
 * the migration runs with that table locked, and the LOCK itself queues behind every running query.
 */
import { displayName, pick, relationKey } from "../ast.js"
import { blocksWrites, lockStmtMode } from "../locks.js"
import type { Rule } from "./context.js"

export const lockTableRule: Rule = (ctx) => {
  const lock = pick(ctx.stmt.node, "LockStmt")
  if (!lock) return
  const tables = (lock.relations ?? []).map((r) => relationKey(pick(r, "RangeVar"))).filter((t) => !ctx.isNew(t))
  if (tables.length === 0) return
  const mode = lockStmtMode(lock)
  const names = tables.map(displayName).join(", ")
  const blocks =
    mode === "AccessExclusiveLock"
      ? "every read and write"
      : blocksWrites(mode)
        ? "every write"
        : "other migrations and maintenance (VACUUM, index builds)"
  ctx.report("lock-table", {
    relation: tables[0]!,
    lock: mode,
    ...(blocksWrites(mode) ? {} : { severity: "warning" as const }),
    why: `LOCK TABLE takes ${mode} on ${names} and keeps it until the transaction ends: ${blocks} on ${tables.length > 1 ? "them" : "it"} waits for the rest of the migration${ctx.inTransaction ? "" : ", and outside BEGIN … COMMIT PostgreSQL refuses it (LOCK TABLE can only be used in transaction blocks)"}`,
    fix: "Leave the locking to the statements that need it, under lock_timeout (deploy-pipeline sets it and retries); to keep two migrations apart, use pg_advisory_xact_lock instead of a table lock",
  })
}
