/** What a rule sees for one statement: the statement, the target, the schema so far, and how to report. */
import type { AlterTableCmd } from "libpg-query"
import { displayName, pick, relationKey } from "../ast.js"
import type { Finding, Severity } from "../finding.js"
import { type LockMode, type RelationLock, strength } from "../locks.js"
import type { StatementOperation } from "../operation.js"
import type { Statement } from "../parse.js"
import type { PgVersion } from "../pg-version.js"
import type { Schema } from "../schema.js"
import type { RuleId } from "./catalog.js"

export interface Report {
  relation?: string | null
  lock?: LockMode | null
  rewrites?: boolean
  severity?: Severity
  why: string
  fix: string
}

export interface RuleContext {
  file: string
  stmt: Statement
  version: PgVersion
  /** The schema before this statement: the target's (when given) plus the file's earlier statements. */
  schema: Schema
  /** The target's schema was given (--schema or --database), so what it lacks does not exist. */
  schemaKnown: boolean
  /** Inside an explicit BEGIN … COMMIT of the file. */
  inTransaction: boolean
  /** Created earlier in this file, so empty and unknown to the running release. */
  isNew: (table: string) => boolean
  /** `schema.table.column` keys of columns added earlier in this file. */
  addedColumns: ReadonlySet<string>
  /** The statement's locks on relations that existed before the file. */
  locks: RelationLock[]
  operation: StatementOperation
  report: (rule: RuleId, report: Report) => void
}

export type Rule = (ctx: RuleContext) => void

/** The commands of an ALTER TABLE on a table that existed before the file; undefined otherwise. */
export function existingTableCommands(ctx: RuleContext): { table: string; cmds: AlterTableCmd[] } | undefined {
  const alter = pick(ctx.stmt.node, "AlterTableStmt")
  if (!alter) return undefined
  const table = relationKey(alter.relation)
  if (ctx.isNew(table)) return undefined
  return { table, cmds: (alter.cmds ?? []).flatMap((item) => pick(item, "AlterTableCmd") ?? []) }
}

export function findingFrom(
  ctx: Pick<RuleContext, "file" | "stmt" | "locks">,
  rule: RuleId,
  severity: Severity,
  report: Report,
): Finding {
  const strongestLock = ctx.locks.reduce<RelationLock | undefined>(
    (best, l) => (best === undefined || strength(l.mode) > strength(best.mode) ? l : best),
    undefined,
  )
  return {
    file: ctx.file,
    line: ctx.stmt.line,
    rule,
    severity: report.severity ?? severity,
    lock: report.lock === undefined ? (strongestLock?.mode ?? null) : report.lock,
    rewrites: report.rewrites ?? false,
    relation:
      report.relation === undefined
        ? strongestLock
          ? displayName(strongestLock.relation)
          : null
        : report.relation === null
          ? null
          : displayName(report.relation),
    why: report.why,
    fix: report.fix,
  }
}
