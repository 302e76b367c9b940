/** One problem the analyzer found, located by file and line, with what it costs and what to do instead. */
import type { LockMode } from "./locks.js"
import type { RuleId } from "./rules/catalog.js"
import type { Severity } from "./severity.js"

export { SEVERITY_ORDER, type Severity } from "./severity.js"

export interface Finding {
  file: string
  /** 1-based line of the statement (or of Django's comment for RunPython). */
  line: number
  rule: RuleId
  severity: Severity
  /** The strongest lock on an existing relation, as pg_locks names it; null when none is taken. */
  lock: LockMode | null
  rewrites: boolean
  /** The table (or index) concerned, without `public.`. */
  relation: string | null
  why: string
  fix: string
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.line - b.line
}
