/**
 * ALTER DOMAIN statements that check existing data: PostgreSQL validates the new rule against
 * every column of the domain's type in every table, under a ShareLock on each of those tables
 * (validateDomainConstraint, AlterDomainNotNull). The lock model, the cost model and the rules
 * read the statement through here.
 */
import type { Node } from "libpg-query"
import { nameKey, pick, strings } from "./ast.js"

export interface DomainScan {
  /** `schema.domain`; unqualified names live in public, like tables. */
  domain: string
  /** The domain's own name, as column types name it. */
  name: string
  change: "add-constraint" | "set-not-null" | "validate-constraint"
  /** The constraint added or validated. */
  constraint?: string
}

/** The ALTER DOMAIN that scans the domain's columns, or undefined (NOT VALID adds, drops, defaults). */
export function domainScan(node: Node): DomainScan | undefined {
  const alter = pick(node, "AlterDomainStmt")
  if (!alter) return undefined
  const names = strings(alter.typeName)
  const name = names[names.length - 1] ?? ""
  const base = { domain: nameKey(names), name }
  if (alter.subtype === "O") return { ...base, change: "set-not-null" }
  if (alter.subtype === "V")
    return { ...base, change: "validate-constraint", ...(alter.name ? { constraint: alter.name } : {}) }
  const con = pick(alter.def, "Constraint")
  if (alter.subtype === "C" && con?.contype === "CONSTR_CHECK" && !con.skip_validation)
    return { ...base, change: "add-constraint", ...(con.conname ? { constraint: con.conname } : {}) }
  return undefined
}
