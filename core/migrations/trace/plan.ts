/**
 * How the tracer runs each statement, decided from the parse tree before anything runs: in the
 * rolled-back transaction; or, for statements PostgreSQL refuses inside a transaction block
 * (CONCURRENTLY, VACUUM, REINDEX SCHEMA/DATABASE, CLUSTER of every table) written outside
 * BEGIN … COMMIT, afterwards on their own connection in autocommit, watched from a second one;
 * or not at all, for statements that act on the server rather than on the traced database.
 */
import { type Node, scanSync } from "libpg-query"
import { optionOn, pick, qualify, relationKey } from "../ast.js"
import { objectKey } from "../locks.js"
import type { ParsedFile, Statement } from "../parse.js"
import { schemaOf } from "../schema.js"

/** What an autocommit statement works on, so the watcher can hold it where its locks show. */
export type Scope = { tables: string[] } | { index: string } | { schema: string } | { database: true }

export interface Autocommit {
  scope: Scope
  /** What runs in the traced transaction in its place, to keep later statements' state right (CONCURRENTLY cut out); none when it changes no schema. */
  standIn: string | undefined
  /** Undoing it (dropping the index a CREATE INDEX CONCURRENTLY built) restores the catalog exactly; rewrites and drops cannot be undone. */
  reversible: boolean
}

export type Step =
  | { kind: "transaction-control"; file: string; stmt: Statement }
  | { kind: "in-transaction"; file: string; stmt: Statement }
  | ({
      kind: "autocommit"
      file: string
      stmt: Statement
      /** The line of an earlier statement that created the relation this one works on (the tracer rolled it back before this runs). */
      dependsOn?: { relation: string; line: number }
    } & Autocommit)
  | { kind: "not-run"; file: string; stmt: Statement; note: string }

const SERVER_WIDE = new Set([
  "CreatedbStmt",
  "DropdbStmt",
  "AlterSystemStmt",
  "CreateTableSpaceStmt",
  "DropTableSpaceStmt",
])
export const SERVER_WIDE_NOTE = "not run: it acts on the server, not on the traced database"

export function planSteps(files: readonly ParsedFile[]): Step[] {
  const steps: Step[] = []
  /** Relations created by the statements so far, with the line that created them. */
  const created = new Map<string, number>()
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
      const outside = autocommitTarget(stmt)
      if (Object.keys(stmt.node).some((k) => SERVER_WIDE.has(k)))
        steps.push({ kind: "not-run", file: file.path, stmt, note: SERVER_WIDE_NOTE })
      else if (outside && !inBlock) {
        const relation = scopeRelations(outside.scope).find((r) => created.has(r))
        steps.push({
          kind: "autocommit",
          file: file.path,
          stmt,
          ...outside,
          ...(relation ? { dependsOn: { relation, line: created.get(relation)! } } : {}),
        })
      } else steps.push({ kind: "in-transaction", file: file.path, stmt })
      for (const key of createdRelations(stmt.node)) if (!created.has(key)) created.set(key, stmt.line)
    }
  }
  return steps
}

/** For statements that cannot run in a transaction block: what they work on, what stands in for them, and whether they can be undone. */
export function autocommitTarget(stmt: Statement): Autocommit | undefined {
  const node = stmt.node
  const cut = withoutConcurrently(stmt.sql)
  const index = pick(node, "IndexStmt")
  if (index?.concurrent) return { scope: { tables: [relationKey(index.relation)] }, standIn: cut, reversible: true }
  const drop = pick(node, "DropStmt")
  if (drop?.concurrent)
    return {
      scope: drop.objects?.[0] ? { index: objectKey(drop.objects[0]) } : { tables: [] },
      standIn: cut,
      reversible: false,
    }
  const reindex = pick(node, "ReindexStmt")
  if (reindex) {
    const concurrent = optionOn(reindex.params, "concurrently")
    const key = reindex.relation ? relationKey(reindex.relation) : undefined
    if (key && concurrent)
      return {
        scope: reindex.kind === "REINDEX_OBJECT_INDEX" ? { index: key } : { tables: [key] },
        standIn: cut,
        reversible: false,
      }
    if (!key && reindex.kind === "REINDEX_OBJECT_SCHEMA")
      return { scope: { schema: reindex.name ?? "public" }, standIn: undefined, reversible: false }
    if (!key) return { scope: { database: true }, standIn: undefined, reversible: false }
    return undefined
  }
  for (const item of pick(node, "AlterTableStmt")?.cmds ?? []) {
    const cmd = pick(item, "AlterTableCmd")
    if (cmd?.subtype === "AT_DetachPartition" && pick(cmd.def, "PartitionCmd")?.concurrent)
      return {
        scope: { tables: [relationKey(pick(node, "AlterTableStmt")?.relation)] },
        standIn: cut,
        reversible: false,
      }
  }
  const vacuum = pick(node, "VacuumStmt")
  // ANALYZE alone runs in a transaction; VACUUM never does.
  if (vacuum?.is_vacuumcmd) {
    const tables = (vacuum.rels ?? []).map((r) => relationKey(pick(r, "VacuumRelation")?.relation))
    return {
      scope: tables.length > 0 ? { tables } : { database: true },
      standIn: undefined,
      reversible: !optionOn(vacuum.options, "full"),
    }
  }
  const cluster = pick(node, "ClusterStmt")
  if (cluster && !cluster.relation) return { scope: { database: true }, standIn: undefined, reversible: false }
  return undefined
}

function scopeRelations(scope: Scope): string[] {
  return "tables" in scope ? scope.tables : "index" in scope ? [scope.index] : []
}

/** The table or index a statement creates, as a relation key. */
function createdRelations(node: Node): string[] {
  const create = pick(node, "CreateStmt")
  if (create) return [relationKey(create.relation)]
  const createAs = pick(node, "CreateTableAsStmt")
  if (createAs?.into?.rel) return [relationKey(createAs.into.rel)]
  const index = pick(node, "IndexStmt")
  if (index?.idxname) return [qualify(schemaOf(relationKey(index.relation)), index.idxname)]
  return []
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
