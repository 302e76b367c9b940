/**
 * ALTER DOMAIN that checks existing data. Unlike a table's CHECK, a domain's check is validated
 * under a ShareLock on every table with a column of the domain (writes wait for the whole scan),
 * and its VALIDATE CONSTRAINT takes that same ShareLock: NOT VALID only moves the scan.
 */
import { displayName } from "../ast.js"
import { type DomainScan, domainScan } from "../domain.js"
import { tablesUsingType } from "../schema.js"
import type { RuleId } from "./catalog.js"
import type { Rule } from "./context.js"

const RULE: Record<DomainScan["change"], RuleId> = {
  "add-constraint": "domain-add-constraint",
  "set-not-null": "domain-set-not-null",
  "validate-constraint": "domain-validate-constraint",
}

const PER_TABLE_CHECK =
  "put the rule on the columns instead: ADD CONSTRAINT … CHECK (…) NOT VALID on each table, then VALIDATE CONSTRAINT in a later migration (ShareUpdateExclusiveLock: reads and writes go on)"

export const domainRules: Rule = (ctx) => {
  const scan = domainScan(ctx.stmt.node)
  if (!scan || ctx.isNew(scan.domain)) return
  const tables = tablesUsingType(ctx.schema, scan.name).filter((t) => !ctx.isNew(t))
  // With the schema known and no table using the domain, there is nothing to scan.
  if (tables.length === 0 && ctx.schemaKnown) return
  const where =
    tables.length > 0
      ? tables.map(displayName).join(", ")
      : `every table with a column of type ${scan.name} (pass --schema or --database to name them)`
  const what = {
    "add-constraint": "ADD CONSTRAINT",
    "set-not-null": "SET NOT NULL",
    "validate-constraint": "VALIDATE CONSTRAINT",
  }[scan.change]
  ctx.report(RULE[scan.change], {
    relation: tables[0] ?? null,
    lock: "ShareLock",
    why: `ALTER DOMAIN ${scan.name} ${what} checks every row of ${where} while holding a ShareLock on ${tables.length === 1 ? "it" : "each of them"}: every INSERT, UPDATE and DELETE waits for the whole scan${scan.change === "validate-constraint" ? " (a domain's VALIDATE takes ShareLock, unlike a table's)" : ""}`,
    fix:
      scan.change === "add-constraint"
        ? `ADD CONSTRAINT … NOT VALID (new values are checked at once, no scan), and either leave it unvalidated or ${PER_TABLE_CHECK}`
        : scan.change === "set-not-null"
          ? `ADD CONSTRAINT ${scan.name}_not_null CHECK (VALUE IS NOT NULL) NOT VALID on the domain (new values are checked at once, no scan); to cover old rows, ${PER_TABLE_CHECK}`
          : `Leave the domain's constraint NOT VALID (new values are already checked), or ${PER_TABLE_CHECK}; validate the domain itself only in a maintenance window`,
  })
}
