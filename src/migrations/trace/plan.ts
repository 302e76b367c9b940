/**
 * How the tracer runs each statement, decided from the parse tree before anything runs:
 * in the rolled-back transaction, or (CONCURRENTLY outside BEGIN … COMMIT) on its own from a
 * watched connection, with a stand-in without CONCURRENTLY keeping the transaction's state right.
 */
import { scanSync } from "libpg-query"
import { pick, relationKey } from "../ast.js"
import { objectKey } from "../locks.js"
import type { ParsedFile, Statement } from "../parse.js"

export type Step =
  | { kind: "transaction-control"; file: string; stmt: Statement }
  | { kind: "in-transaction"; file: string; stmt: Statement }
  | { kind: "concurrent"; file: string; stmt: Statement; standIn: string; table: string | undefined; index: string | undefined; reversible: boolean }

export function planSteps(files: readonly ParsedFile[]): Step[] {
  const steps: Step[] = []
  for (const file of files) {
    let inBlock = false
    for (const stmt of file.statements) {
      const tx = pick(stmt.node, "TransactionStmt")
      if (tx) {
        if (tx.kind === "TRANS_STMT_BEGIN" || tx.kind === "TRANS_STMT_START") inBlock = true
        if (tx.kind === "TRANS_STMT_COMMIT" || tx.kind === "TRANS_STMT_ROLLBACK") inBlock = false
        steps.push({ kind: "transaction-control", file: file.path, stmt })
        continue
      }
      const concurrent = concurrentTarget(stmt)
      if (concurrent && !inBlock) steps.push({ kind: "concurrent", file: file.path, stmt, standIn: withoutConcurrently(stmt.sql), ...concurrent })
      else steps.push({ kind: "in-transaction", file: file.path, stmt })
    }
  }
  return steps
}

/** For statements that cannot run in a transaction: the table they work on, and whether undoing them restores the catalog exactly. */
export function concurrentTarget(stmt: Statement): { table: string | undefined; index: string | undefined; reversible: boolean } | undefined {
  const index = pick(stmt.node, "IndexStmt")
  if (index?.concurrent) return { table: relationKey(index.relation), index: undefined, reversible: true }
  const drop = pick(stmt.node, "DropStmt")
  if (drop?.concurrent) return { table: undefined, index: drop.objects?.[0] ? objectKey(drop.objects[0]) : undefined, reversible: false }
  const reindex = pick(stmt.node, "ReindexStmt")
  if (reindex && (reindex.params ?? []).some((p) => pick(p, "DefElem")?.defname === "concurrently")) {
    const key = reindex.relation ? relationKey(reindex.relation) : undefined
    return reindex.kind === "REINDEX_OBJECT_INDEX" ? { table: undefined, index: key, reversible: false } : { table: key, index: undefined, reversible: false }
  }
  for (const item of pick(stmt.node, "AlterTableStmt")?.cmds ?? []) {
    const cmd = pick(item, "AlterTableCmd")
    if (cmd?.subtype === "AT_DetachPartition" && pick(cmd.def, "PartitionCmd")?.concurrent) return { table: relationKey(pick(stmt.node, "AlterTableStmt")?.relation), index: undefined, reversible: false }
  }
  return undefined
}

/** The statement with its CONCURRENTLY keyword cut out (by the scanner's token offsets, so strings and comments are safe). */
export function withoutConcurrently(sql: string): string {
  const bytes = Buffer.from(sql, "utf8")
  const token = scanSync(sql).tokens.find((t) => t.keywordKind > 0 && t.text.toUpperCase() === "CONCURRENTLY")
  if (!token) return sql
  // Take one space next to the keyword with it; nothing else in the statement changes.
  const end = bytes[token.end] === 0x20 ? token.end + 1 : token.end
  const start = end === token.end && bytes[token.start - 1] === 0x20 ? token.start - 1 : token.start
  return Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]).toString("utf8")
}
