/**
 * Choices that cost later rather than during the deploy (info), identifiers PostgreSQL would
 * truncate (warning), and one-statement backfills (warning). They apply to new tables too.
 */
import { type Constraint, type TypeName, scanSync } from "libpg-query"
import { displayName, pick, relationKey, strings } from "../ast.js"
import { columnType } from "../column-type.js"
import { columnConstraints } from "../operation.js"
import type { Rule, RuleContext } from "./context.js"

const INTEGER_KEYS = new Set(["int4", "int2", "serial", "smallserial"])

export function typeHygiene(ctx: RuleContext, table: string, column: string, typeName: TypeName | undefined): void {
  const type = columnType(typeName)
  const where = `${displayName(table)}.${column}`
  if (type.name === "json")
    ctx.report("json-column", {
      relation: table,
      lock: null,
      why: `${where} is json: stored as text, parsed again on every read, with no equality operator and no GIN index`,
      fix: "Use jsonb (Django's JSONField does)",
    })
  if (type.name === "timestamp")
    ctx.report("timestamp-without-time-zone", {
      relation: table,
      lock: null,
      why: `${where} is timestamp without time zone: values lose their offset and depend on the session's TimeZone`,
      fix: "Use timestamptz (Django with USE_TZ = True does)",
    })
  if (type.name === "bpchar" && type.mods.length > 0)
    ctx.report("char-column", {
      relation: table,
      lock: null,
      why: `${where} is char(${type.mods[0]}): values are blank-padded and it is no faster than varchar or text`,
      fix: "Use text or varchar(n)",
    })
}

function intPrimaryKey(ctx: RuleContext, table: string, column: string, typeName: TypeName | undefined): void {
  const type = columnType(typeName)
  if (!INTEGER_KEYS.has(type.name)) return
  ctx.report("int-primary-key", {
    relation: table,
    lock: null,
    why: `${displayName(table)}.${column} is a ${type.name === "int2" || type.name === "smallserial" ? "smallint" : "32-bit integer"} primary key: it runs out at ${type.name === "int2" || type.name === "smallserial" ? "32,767" : "2,147,483,647"} rows, and widening it later rewrites the table and every referencing column`,
    fix: 'Use bigint (Django: DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField")',
  })
}

export const hygieneRules: Rule = (ctx) => {
  const node = ctx.stmt.node
  const create = pick(node, "CreateStmt")
  if (create) {
    const table = relationKey(create.relation)
    const keyColumns = new Set<string>()
    for (const element of create.tableElts ?? []) {
      const con = pick(element, "Constraint")
      if (con?.contype === "CONSTR_PRIMARY") for (const k of strings(con.keys)) keyColumns.add(k)
    }
    for (const element of create.tableElts ?? []) {
      const def = pick(element, "ColumnDef")
      if (!def?.colname) continue
      typeHygiene(ctx, table, def.colname, def.typeName)
      if (keyColumns.has(def.colname) || columnConstraints(def).some((c: Constraint) => c.contype === "CONSTR_PRIMARY"))
        intPrimaryKey(ctx, table, def.colname, def.typeName)
    }
  }
  for (const item of pick(node, "AlterTableStmt")?.cmds ?? []) {
    const def = pick(pick(item, "AlterTableCmd")?.def, "ColumnDef")
    if (def?.colname && columnConstraints(def).some((c) => c.contype === "CONSTR_PRIMARY"))
      intPrimaryKey(ctx, relationKey(pick(node, "AlterTableStmt")?.relation), def.colname, def.typeName)
  }
  longIdentifiers(ctx)
  for (const key of ["UpdateStmt", "DeleteStmt"] as const) {
    const dml = pick(node, key)
    if (!dml?.relation) continue
    const table = relationKey(dml.relation)
    if (ctx.isNew(table)) continue
    ctx.report("backfill-in-migration", {
      relation: table,
      lock: "RowExclusiveLock",
      why: `${key === "UpdateStmt" ? "UPDATE" : "DELETE"} on ${displayName(table)} changes every matching row in one statement: row locks and dead tuples grow with the table${ctx.inTransaction ? ", and this atomic migration keeps its DDL locks until it ends" : ""}`,
      fix: "Backfill in batches (a non-atomic migration or a management command) in a release before the one that depends on it",
    })
  }
}

/** The parser already cut long names to 63 bytes, so they are read from the scanner's tokens. */
function longIdentifiers(ctx: RuleContext): void {
  const seen = new Set<string>()
  for (const token of scanSync(ctx.stmt.sql).tokens) {
    if (token.tokenName !== "IDENT") continue
    const name = token.text.startsWith('"') ? token.text.slice(1, -1).replace(/""/g, '"') : token.text.toLowerCase()
    const bytes = Buffer.byteLength(name, "utf8")
    if (bytes <= 63 || seen.has(name)) continue
    seen.add(name)
    ctx.report("identifier-too-long", {
      relation: null,
      lock: null,
      why: `"${name}" is ${bytes} bytes; PostgreSQL keeps the first 63, so statements that use the full name elsewhere miss it and two long names can collide`,
      fix: "Shorten it to 63 bytes or fewer",
    })
  }
}
