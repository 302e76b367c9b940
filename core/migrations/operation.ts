/**
 * What a statement makes PostgreSQL do to an existing table, by cost class: rewrite it, build an
 * index, scan it, change rows, or only touch the catalog. The rules use it to tell slow work from
 * instant work, and the tracer multiplies it by the target's table sizes to estimate lock time.
 */
import type { ColumnDef, Constraint, Node } from "libpg-query"
import { kindOf, optionOn, pick, qualify, relationKey, strings, typeBaseName } from "./ast.js"
import { type ColumnType, columnType, rewriteNeeded } from "./column-type.js"
import { domainScan } from "./domain.js"
import type { PgVersion } from "./pg-version.js"
import { type Schema, schemaOf, tablesUsingType } from "./schema.js"
import { defaultVolatility } from "./volatility.js"

export const OPERATIONS = ["none", "metadata", "dml", "scan", "fk-scan", "index", "unique-index", "rewrite"] as const
export type Operation = (typeof OPERATIONS)[number]

export interface StatementOperation {
  kind: Operation
  /** The table the work is done on (key), when there is one. */
  table: string | undefined
}

const heavier = (a: Operation, b: Operation): Operation => (OPERATIONS.indexOf(a) >= OPERATIONS.indexOf(b) ? a : b)

/** True when the work is more than a catalog change. */
export const doesWork = (kind: Operation): boolean => OPERATIONS.indexOf(kind) >= OPERATIONS.indexOf("dml")

export function columnConstraints(def: ColumnDef | undefined): Constraint[] {
  return (def?.constraints ?? []).map((c) => pick(c, "Constraint")).filter((c): c is Constraint => c !== undefined)
}

const SERIAL = new Set(["serial", "bigserial", "smallserial"])

/** Why adding this column rewrites the table, or undefined when it only writes the catalog. */
export function addColumnRewrite(
  def: ColumnDef,
  version: PgVersion,
  schema: Schema,
): { cause: "serial" | "identity" | "generated" | "volatile" | "pre-11"; culprits: string[] } | undefined {
  const constraints = columnConstraints(def)
  if (SERIAL.has(typeBaseName(def.typeName).toLowerCase())) return { cause: "serial", culprits: [] }
  if (constraints.some((c) => c.contype === "CONSTR_IDENTITY")) return { cause: "identity", culprits: [] }
  if (constraints.some((c) => c.contype === "CONSTR_GENERATED")) return { cause: "generated", culprits: [] }
  const expr = constraints.find((c) => c.contype === "CONSTR_DEFAULT")?.raw_expr ?? def.raw_default
  if (!expr || pick(expr, "A_Const")?.isnull) return undefined
  const volatility = defaultVolatility(expr, schema.functions)
  if (volatility.volatile) return { cause: "volatile", culprits: volatility.culprits }
  return version.major < 11 ? { cause: "pre-11", culprits: [] } : undefined
}

/**
 * Whether ALTER COLUMN TYPE rewrites: true, false, or undefined when the current type is unknown.
 * A USING clause other than a plain cast of the column itself always rewrites.
 */
export function alterTypeRewrite(
  table: string,
  column: string,
  def: ColumnDef | undefined,
  schema: Schema,
): { rewrites: boolean | undefined; from?: ColumnType; to: ColumnType } {
  const to = columnType(def?.typeName)
  if (def?.raw_default && !isPlainCast(def.raw_default, column)) return { rewrites: true, to }
  const from = schema.tables.get(table)?.columns.get(column)?.type
  return from ? { rewrites: rewriteNeeded(from, to), from, to } : { rewrites: undefined, to }
}

function isPlainCast(expr: Node, column: string): boolean {
  const inner = pick(expr, "TypeCast")?.arg ?? expr
  const fields = strings(pick(inner, "ColumnRef")?.fields)
  return fields.length === 1 && fields[0] === column
}

/**
 * An ADD COLUMN with a DEFAULT clause (even DEFAULT NULL): PostgreSQL then validates an inline
 * REFERENCES against every row; without one the new column is all NULL and the key is valid as is.
 */
export function hasDefaultClause(def: ColumnDef): boolean {
  return def.raw_default !== undefined || columnConstraints(def).some((c) => c.contype === "CONSTR_DEFAULT")
}

/**
 * The key columns that ADD PRIMARY KEY USING INDEX must make NOT NULL with a scan: nullable and, on
 * PostgreSQL 12+, not covered by a validated CHECK (c IS NOT NULL). Undefined when the index or its
 * table's columns are unknown.
 */
export function primaryKeyNullableColumns(
  table: string,
  index: string,
  version: PgVersion,
  schema: Schema,
): string[] | undefined {
  const columns = schema.indexes.get(qualify(schemaOf(table), index))?.columns
  const info = schema.tables.get(table)?.columns
  if (!columns || !info || columns.some((c) => !info.has(c))) return undefined
  return columns.filter((c) => !info.get(c)?.notNull && !(version.major >= 12 && hasNotNullCheck(schema, table, c)))
}

/** The table a plain `SELECT … FROM t` reads whole: no WHERE, no LIMIT, not a set operation. */
export function wholeTableRead(node: Node): string | undefined {
  const select = pick(node, "SelectStmt")
  if (!select || select.whereClause || select.limitCount || (select.op && select.op !== "SETOP_NONE")) return undefined
  const from = pick(select.fromClause?.[0], "RangeVar")
  return from ? relationKey(from) : undefined
}

/** Whether a validated CHECK (column IS NOT NULL) lets SET NOT NULL skip its scan (PostgreSQL 12+). */
export function hasNotNullCheck(schema: Schema, table: string, column: string): boolean {
  for (const check of schema.checks.values())
    if (check.table === table && check.notNullColumn === column && check.validated) return true
  return false
}

export function statementOperation(node: Node, version: PgVersion, schema: Schema): StatementOperation {
  const alter = pick(node, "AlterTableStmt")
  if (alter) {
    const table = relationKey(alter.relation)
    let kind: Operation = "metadata"
    for (const item of alter.cmds ?? [])
      kind = heavier(kind, alterCmdOperation(pick(item, "AlterTableCmd"), table, version, schema))
    return { kind, table }
  }
  const index = pick(node, "IndexStmt")
  if (index) return { kind: index.unique ? "unique-index" : "index", table: relationKey(index.relation) }
  const reindex = pick(node, "ReindexStmt")
  if (reindex?.relation) {
    const key = relationKey(reindex.relation)
    return {
      kind: "index",
      table: reindex.kind === "REINDEX_OBJECT_INDEX" ? (schema.indexes.get(key)?.table ?? key) : key,
    }
  }
  const vacuum = pick(node, "VacuumStmt")
  if (vacuum && optionOn(vacuum.options, "full"))
    return { kind: "rewrite", table: relationKey(pick(vacuum.rels?.[0], "VacuumRelation")?.relation) }
  const cluster = pick(node, "ClusterStmt")
  if (cluster?.relation) return { kind: "rewrite", table: relationKey(cluster.relation) }
  const refresh = pick(node, "RefreshMatViewStmt")
  if (refresh) return { kind: "rewrite", table: relationKey(refresh.relation) }
  for (const key of ["UpdateStmt", "DeleteStmt", "InsertStmt"] as const) {
    const dml = pick(node, key)
    if (dml?.relation) return { kind: "dml", table: relationKey(dml.relation) }
  }
  const domain = domainScan(node)
  if (domain) return { kind: "scan", table: tablesUsingType(schema, domain.name)[0] }
  const read = wholeTableRead(node)
  if (read) return { kind: "scan", table: read }
  const kind = kindOf(node)
  if (
    kind === "TransactionStmt" ||
    kind === "VariableSetStmt" ||
    kind === "ConstraintsSetStmt" ||
    kind === "SelectStmt"
  )
    return { kind: "none", table: undefined }
  return { kind: "metadata", table: undefined }
}

function alterCmdOperation(
  cmd: ReturnType<typeof pick<"AlterTableCmd">>,
  table: string,
  version: PgVersion,
  schema: Schema,
): Operation {
  if (!cmd) return "metadata"
  switch (cmd.subtype) {
    case "AT_AddColumn": {
      const def = pick(cmd.def, "ColumnDef")
      if (!def) return "metadata"
      if (addColumnRewrite(def, version, schema)) return "rewrite"
      const constraints = columnConstraints(def)
      if (constraints.some((c) => c.contype === "CONSTR_PRIMARY" || c.contype === "CONSTR_UNIQUE"))
        return "unique-index"
      if (constraints.some((c) => c.contype === "CONSTR_FOREIGN") && hasDefaultClause(def)) return "fk-scan"
      if (constraints.some((c) => c.contype === "CONSTR_CHECK")) return "scan"
      return "metadata"
    }
    case "AT_AlterColumnType": {
      const { rewrites } = alterTypeRewrite(table, cmd.name ?? "", pick(cmd.def, "ColumnDef"), schema)
      return rewrites === false ? "metadata" : "rewrite"
    }
    case "AT_AddConstraint": {
      const con = pick(cmd.def, "Constraint")
      if (!con) return "metadata"
      if (con.contype === "CONSTR_PRIMARY" && con.indexname)
        return primaryKeyNullableColumns(table, con.indexname, version, schema)?.length === 0 ? "metadata" : "scan"
      if (con.contype === "CONSTR_PRIMARY" || con.contype === "CONSTR_UNIQUE")
        return con.indexname ? "metadata" : "unique-index"
      if (con.contype === "CONSTR_EXCLUSION") return "index"
      if (con.skip_validation) return "metadata"
      if (con.contype === "CONSTR_FOREIGN") return "fk-scan"
      if (con.contype === "CONSTR_CHECK") return "scan"
      return "metadata"
    }
    case "AT_ValidateConstraint":
      return "scan"
    case "AT_SetNotNull":
      if (schema.tables.get(table)?.columns.get(cmd.name ?? "")?.notNull) return "metadata"
      return version.major >= 12 && hasNotNullCheck(schema, table, cmd.name ?? "") ? "metadata" : "scan"
    case "AT_SetTableSpace":
    case "AT_SetLogged":
    case "AT_SetUnLogged":
    case "AT_SetAccessMethod":
      return "rewrite"
    default:
      return "metadata"
  }
}
