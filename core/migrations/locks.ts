/**
 * The relation locks a statement takes, named as pg_locks names them. ALTER TABLE follows
 * AlterTableGetLockLevel() in PostgreSQL's tablecmds.c (the strongest subcommand wins); the tracer
 * tests check these against pg_locks on a real server.
 */
import type { AlterTableCmd, Node } from "libpg-query"
import { nameKey, optionOn, pick, qualify, relationKey, strings } from "./ast.js"
import { domainScan } from "./domain.js"
import type { PgVersion } from "./pg-version.js"
import { type Schema, tablesUsingType } from "./schema.js"

export const LOCK_MODES = [
  "AccessShareLock",
  "RowShareLock",
  "RowExclusiveLock",
  "ShareUpdateExclusiveLock",
  "ShareLock",
  "ShareRowExclusiveLock",
  "ExclusiveLock",
  "AccessExclusiveLock",
] as const
export type LockMode = (typeof LOCK_MODES)[number]

export interface RelationLock {
  relation: string
  mode: LockMode
}

export const strength = (mode: LockMode): number => LOCK_MODES.indexOf(mode)
export const strongest = (a: LockMode, b: LockMode): LockMode => (strength(a) >= strength(b) ? a : b)

/** PostgreSQL's table-level lock conflict table: the modes each mode waits for. */
const CONFLICTS: Readonly<Record<LockMode, readonly LockMode[]>> = {
  AccessShareLock: ["AccessExclusiveLock"],
  RowShareLock: ["ExclusiveLock", "AccessExclusiveLock"],
  RowExclusiveLock: ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"],
  ShareUpdateExclusiveLock: [
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
  ],
  ShareLock: [
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
  ],
  ShareRowExclusiveLock: [
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
  ],
  ExclusiveLock: [
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
  ],
  AccessExclusiveLock: LOCK_MODES,
}

export const conflicts = (a: LockMode, b: LockMode): boolean => CONFLICTS[a].includes(b)

/** Locks from ShareLock up block writes, and queue every later writer behind them. */
export const blocksWrites = (mode: LockMode): boolean => strength(mode) >= strength("ShareLock")

/** Reloptions that only tune maintenance take ShareUpdateExclusiveLock; the rest AccessExclusiveLock. */
const LIGHT_RELOPTION =
  /^(fillfactor|parallel_workers|log_autovacuum_min_duration|toast_tuple_target|vacuum_index_cleanup|vacuum_truncate|(toast\.)?autovacuum_\w+)$/

export function alterTableCmdLock(cmd: AlterTableCmd): LockMode {
  switch (cmd.subtype) {
    case "AT_SetStatistics":
    case "AT_ClusterOn":
    case "AT_DropCluster":
    case "AT_SetOptions":
    case "AT_ResetOptions":
    case "AT_ValidateConstraint":
    case "AT_AttachPartition":
    case "AT_DetachPartitionFinalize":
      return "ShareUpdateExclusiveLock"
    case "AT_DetachPartition":
      return pick(cmd.def, "PartitionCmd")?.concurrent ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock"
    case "AT_EnableTrig":
    case "AT_EnableAlwaysTrig":
    case "AT_EnableReplicaTrig":
    case "AT_EnableTrigAll":
    case "AT_EnableTrigUser":
    case "AT_DisableTrig":
    case "AT_DisableTrigAll":
    case "AT_DisableTrigUser":
      return "ShareRowExclusiveLock"
    case "AT_AddConstraint":
      return pick(cmd.def, "Constraint")?.contype === "CONSTR_FOREIGN" ? "ShareRowExclusiveLock" : "AccessExclusiveLock"
    case "AT_SetRelOptions":
    case "AT_ResetRelOptions": {
      const names = (pick(cmd.def, "List")?.items ?? []).map((item) => {
        const d = pick(item, "DefElem")
        return d?.defnamespace ? `${d.defnamespace}.${d.defname}` : (d?.defname ?? "")
      })
      return names.length > 0 && names.every((n) => LIGHT_RELOPTION.test(n))
        ? "ShareUpdateExclusiveLock"
        : "AccessExclusiveLock"
    }
    default:
      return "AccessExclusiveLock"
  }
}

/** Tables a statement's foreign keys point at: they get ShareRowExclusiveLock (triggers are added to them). */
export function referencedTables(node: Node): string[] {
  const found: string[] = []
  const add = (con: Node | undefined) => {
    const c = pick(con, "Constraint")
    if (c?.contype === "CONSTR_FOREIGN" && c.pktable) found.push(relationKey(c.pktable))
  }
  const columnConstraints = (def: Node | undefined) => {
    for (const con of pick(def, "ColumnDef")?.constraints ?? []) add(con)
  }
  const create = pick(node, "CreateStmt")
  for (const element of create?.tableElts ?? []) {
    add(element)
    columnConstraints(element)
  }
  for (const item of pick(node, "AlterTableStmt")?.cmds ?? []) {
    const cmd = pick(item, "AlterTableCmd")
    if (cmd?.subtype === "AT_AddConstraint") add(cmd.def)
    if (cmd?.subtype === "AT_AddColumn") columnConstraints(cmd.def)
  }
  return [...new Set(found)]
}

/** Every relation lock the statement takes on relations other than the ones it creates. */
export function statementLocks(node: Node, version: PgVersion, schema: Schema): RelationLock[] {
  const locks: RelationLock[] = []
  const add = (relation: string, mode: LockMode) => {
    const seen = locks.find((l) => l.relation === relation)
    if (seen) seen.mode = strongest(seen.mode, mode)
    else locks.push({ relation, mode })
  }
  for (const table of referencedTables(node)) add(table, "ShareRowExclusiveLock")

  const alter = pick(node, "AlterTableStmt")
  if (alter) {
    const table = relationKey(alter.relation)
    let mode: LockMode = "ShareUpdateExclusiveLock"
    for (const item of alter.cmds ?? []) {
      const cmd = pick(item, "AlterTableCmd")
      if (!cmd) continue
      const cmdMode =
        cmd.subtype === "AT_AttachPartition" && version.major < 12 ? "AccessExclusiveLock" : alterTableCmdLock(cmd)
      mode = strongest(mode, cmdMode)
      const partition = pick(cmd.def, "PartitionCmd")?.name
      if (partition)
        add(
          relationKey(partition),
          cmd.subtype === "AT_DetachPartition" && pick(cmd.def, "PartitionCmd")?.concurrent
            ? "ShareUpdateExclusiveLock"
            : "AccessExclusiveLock",
        )
    }
    add(table, mode)
    return sortLocks(locks, table)
  }
  const index = pick(node, "IndexStmt")
  if (index) {
    add(relationKey(index.relation), index.concurrent ? "ShareUpdateExclusiveLock" : "ShareLock")
    return locks
  }
  const drop = pick(node, "DropStmt")
  if (drop) {
    for (const object of drop.objects ?? []) {
      const key = objectKey(object)
      if (drop.removeType === "OBJECT_INDEX") {
        const table = schema.indexes.get(key)?.table
        const mode: LockMode = drop.concurrent ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock"
        if (table) add(table, mode)
        add(key, mode)
      } else if (
        ["OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE"].includes(
          drop.removeType ?? "",
        )
      ) {
        add(key, "AccessExclusiveLock")
      }
    }
    return locks
  }
  const reindex = pick(node, "ReindexStmt")
  if (reindex?.relation) {
    const concurrent = optionOn(reindex.params, "concurrently")
    const key = relationKey(reindex.relation)
    if (reindex.kind === "REINDEX_OBJECT_INDEX") {
      const table = schema.indexes.get(key)?.table
      if (table) add(table, concurrent ? "ShareUpdateExclusiveLock" : "ShareLock")
      add(key, concurrent ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock")
    } else add(key, concurrent ? "ShareUpdateExclusiveLock" : "ShareLock")
    return locks
  }
  const rename = pick(node, "RenameStmt")
  if (rename?.relation) {
    const light = rename.renameType === "OBJECT_INDEX" && version.major >= 12
    add(relationKey(rename.relation), light ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock")
    return locks
  }
  const vacuum = pick(node, "VacuumStmt")
  if (vacuum) {
    const full = optionOn(vacuum.options, "full")
    for (const rel of vacuum.rels ?? [])
      add(relationKey(pick(rel, "VacuumRelation")?.relation), full ? "AccessExclusiveLock" : "ShareUpdateExclusiveLock")
    return locks
  }
  const cluster = pick(node, "ClusterStmt")
  if (cluster?.relation) add(relationKey(cluster.relation), "AccessExclusiveLock")
  const truncate = pick(node, "TruncateStmt")
  for (const rel of truncate?.relations ?? []) add(relationKey(pick(rel, "RangeVar")), "AccessExclusiveLock")
  const refresh = pick(node, "RefreshMatViewStmt")
  if (refresh) add(relationKey(refresh.relation), refresh.concurrent ? "ExclusiveLock" : "AccessExclusiveLock")
  const trigger = pick(node, "CreateTrigStmt")
  if (trigger) add(relationKey(trigger.relation), "ShareRowExclusiveLock")
  for (const dml of [pick(node, "UpdateStmt"), pick(node, "DeleteStmt"), pick(node, "InsertStmt")])
    if (dml?.relation) add(relationKey(dml.relation), "RowExclusiveLock")
  const domain = domainScan(node)
  for (const table of domain ? tablesUsingType(schema, domain.name) : []) add(table, "ShareLock")
  const lock = pick(node, "LockStmt")
  for (const rel of lock?.relations ?? []) add(relationKey(pick(rel, "RangeVar")), lockStmtMode(lock!))
  const create = pick(node, "CreateStmt")
  for (const parent of create?.partbound ? (create.inhRelations ?? []) : [])
    add(relationKey(pick(parent, "RangeVar")), "AccessExclusiveLock")
  return locks
}

/** The mode a LOCK TABLE asks for (its `mode` counts from AccessShareLock = 1; plain LOCK is ACCESS EXCLUSIVE). */
export function lockStmtMode(lock: NonNullable<ReturnType<typeof pick<"LockStmt">>>): LockMode {
  return LOCK_MODES[(lock.mode ?? LOCK_MODES.length) - 1] ?? "AccessExclusiveLock"
}

/** A DROP/REINDEX object name list (`["app","idx"]`) as a relation key. */
export function objectKey(object: Node): string {
  return nameKey(strings(pick(object, "List")?.items))
}

function sortLocks(locks: RelationLock[], first: string): RelationLock[] {
  return [...locks.filter((l) => l.relation === first), ...locks.filter((l) => l.relation !== first)]
}
