/**
 * Rules #16, #17 and the "also flagged" maintenance commands: statements that break the release
 * still running, lose data, or rewrite a table outside ALTER TABLE.
 */
import { displayName, optionOn, pick, relationKey, strings } from "../ast.js"
import { objectKey } from "../locks.js"
import { formatPgVersion } from "../pg-version.js"
import type { Rule } from "./context.js"

export const destructiveRules: Rule = (ctx) => {
  const node = ctx.stmt.node
  const drop = pick(node, "DropStmt")
  if (drop?.removeType === "OBJECT_TABLE") {
    for (const key of (drop.objects ?? []).map(objectKey)) {
      if (ctx.isNew(key)) continue
      ctx.report("drop-table", {
        relation: key,
        lock: "AccessExclusiveLock",
        why: `The running release still queries ${displayName(key)}, and its data is gone for good once this commits`,
        fix: "Stop using the table in one release (remove the model), then drop it in a later post-deploy migration, after a verified backup",
      })
    }
  }
  const rename = pick(node, "RenameStmt")
  if (rename?.relation && !ctx.isNew(relationKey(rename.relation))) {
    const table = relationKey(rename.relation)
    if (rename.renameType === "OBJECT_COLUMN" && rename.relationType === "OBJECT_TABLE") {
      ctx.report("rename-column", {
        relation: table,
        lock: "AccessExclusiveLock",
        why: `The running release still uses ${displayName(table)}.${rename.subname}: its queries fail from the moment ${rename.newname} replaces it`,
        fix: "Keep the column and set db_column on the renamed field; or add the new column, write both, backfill, switch reads, drop the old one",
      })
    }
    if (rename.renameType === "OBJECT_TABLE") {
      ctx.report("rename-table", {
        relation: table,
        lock: "AccessExclusiveLock",
        why: `The running release still queries ${displayName(table)}: its queries fail from the moment the table is called ${rename.newname}`,
        fix: "Keep the table name with Meta.db_table; or rename and leave a view with the old name until the old release is gone",
      })
    }
  }
  const alterEnum = pick(node, "AlterEnumStmt")
  if (alterEnum?.oldVal !== undefined) {
    ctx.report("rename-enum-value", {
      relation: null,
      lock: null,
      why: `The running release still writes '${alterEnum.oldVal}' to ${strings(alterEnum.typeName).join(".")}: those writes fail once it is '${alterEnum.newVal}'`,
      fix: "Add the new value, move rows and code to it, and stop using the old one; enum values cannot be dropped, so keep it",
    })
  } else if (alterEnum && ctx.inTransaction && ctx.version.major < 12) {
    ctx.report("enum-add-value-in-transaction", {
      relation: null,
      lock: null,
      why: `PostgreSQL ${ctx.version.major} cannot run ALTER TYPE … ADD VALUE inside a transaction block: the migration fails here (12+ can)`,
      fix: "Move it to a migration with atomic = False",
    })
  }
  const truncate = pick(node, "TruncateStmt")
  if (truncate?.behavior === "DROP_CASCADE") {
    ctx.report("truncate-cascade", {
      relation: relationKey(pick(truncate.relations?.[0], "RangeVar")),
      lock: "AccessExclusiveLock",
      why: "TRUNCATE … CASCADE also empties every table that references this one, however far the chain goes, under AccessExclusiveLocks",
      fix: "TRUNCATE the tables you mean by name, without CASCADE",
    })
  } else if (truncate) {
    const tables = (truncate.relations ?? []).map((r) => relationKey(pick(r, "RangeVar"))).filter((t) => !ctx.isNew(t))
    if (tables.length > 0) {
      const names = tables.map(displayName).join(", ")
      ctx.report("truncate", {
        relation: tables[0]!,
        lock: "AccessExclusiveLock",
        why: `TRUNCATE empties ${names} at once, with no WHERE and no way back after COMMIT: the running release still reads and writes ${tables.length > 1 ? "them" : "it"} and finds its data gone (PostgreSQL swaps in new, empty storage under an AccessExclusiveLock)`,
        fix: "Not in a deploy migration: stop using the data in one release, take a verified backup, then DELETE in batches (or TRUNCATE) in a later post-deploy step; TRUNCATE freely only tables this migration created",
      })
    }
  }
  if (pick(node, "DropdbStmt")) {
    ctx.report("drop-database", {
      relation: null,
      lock: null,
      why: "A migration that drops a database destroys all of it",
      fix: "Never from a migration; drop databases by hand after a backup",
    })
  }
  const vacuum = pick(node, "VacuumStmt")
  if (vacuum && optionOn(vacuum.options, "full")) {
    const table = relationKey(pick(vacuum.rels?.[0], "VacuumRelation")?.relation)
    ctx.report("vacuum-full", {
      relation: vacuum.rels?.length ? table : null,
      lock: "AccessExclusiveLock",
      rewrites: true,
      why: "VACUUM FULL rewrites the table and its indexes under an AccessExclusiveLock: reads and writes wait for the whole copy",
      fix: "pg_repack (or REPACK CONCURRENTLY on PostgreSQL 19), outside the deploy",
    })
  }
  const cluster = pick(node, "ClusterStmt")
  if (cluster) {
    ctx.report("cluster", {
      relation: cluster.relation ? relationKey(cluster.relation) : null,
      lock: "AccessExclusiveLock",
      rewrites: true,
      why: "CLUSTER rewrites the table in index order under an AccessExclusiveLock: reads and writes wait for the whole copy",
      fix: "pg_repack --order-by, outside the deploy",
    })
  }
  for (const item of pick(node, "AlterTableStmt")?.cmds ?? []) {
    const cmd = pick(item, "AlterTableCmd")
    const partition = pick(cmd?.def, "PartitionCmd")
    if (cmd?.subtype !== "AT_DetachPartition" || !partition) continue
    const parent = relationKey(pick(node, "AlterTableStmt")?.relation)
    if (partition.concurrent && ctx.version.major < 14) {
      ctx.report("needs-newer-postgres", {
        relation: parent,
        lock: null,
        why: `DETACH PARTITION … CONCURRENTLY needs PostgreSQL 14; the target is ${formatPgVersion(ctx.version)}, so the statement fails`,
        fix: "Detach without CONCURRENTLY in a maintenance window, or upgrade first",
      })
    } else if (partition.concurrent) {
      if (ctx.inTransaction)
        ctx.report("concurrently-in-transaction", {
          relation: parent,
          lock: null,
          why: "DETACH PARTITION … CONCURRENTLY cannot run inside a transaction block: the migration fails at this line",
          fix: "Move it to a migration with atomic = False",
        })
    } else if (!ctx.isNew(parent)) {
      ctx.report("detach-partition-not-concurrently", {
        relation: parent,
        lock: "AccessExclusiveLock",
        why: `DETACH PARTITION takes an AccessExclusiveLock on ${displayName(parent)}: reads and writes of every partition wait`,
        fix:
          ctx.version.major >= 14
            ? "DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+) in a migration with atomic = False"
            : `PostgreSQL ${ctx.version.major} has no DETACH … CONCURRENTLY (14+): do it in a maintenance window`,
      })
    }
  }
}
