/**
 * What the analyzer knows about the target's current schema: column types (for binary-coercible
 * type changes), validated `CHECK (c IS NOT NULL)` constraints (for SET NOT NULL on PG12+), indexes
 * (for DROP INDEX and foreign keys) and, from a live database, table sizes and function volatility.
 * `applyDdl` folds one DDL statement into it; pg_dump files, catalog reads and the migrations
 * themselves all go through it.
 */
import type { ColumnDef, Constraint, Node } from "libpg-query"
import { nameKey, pick, qualify, relationKey, strings } from "./ast.js"
import { type ColumnType, columnType } from "./column-type.js"
import type { PgVersion } from "./pg-version.js"
import type { FunctionFacts } from "./volatility.js"

export interface ColumnInfo {
  type: ColumnType
  notNull: boolean
}

export interface TableInfo {
  columns: Map<string, ColumnInfo>
  /** pg_class.reltuples and pg_total_relation_size, when read from a database. */
  rows?: number
  bytes?: number
}

export interface IndexInfo {
  table: string
  /** Column names in index order; an expression is "". */
  columns: string[]
  unique: boolean
}

export interface CheckInfo {
  table: string
  /** Set for `CHECK (c IS NOT NULL)`. */
  notNullColumn?: string
  validated: boolean
}

export interface Schema {
  /** Keyed by `schema.table`. */
  tables: Map<string, TableInfo>
  /** Keyed by `schema.index` (indexes live in their table's schema). */
  indexes: Map<string, IndexInfo>
  /** Keyed by `schema.table.constraint`. */
  checks: Map<string, CheckInfo>
  version?: PgVersion
  functions?: FunctionFacts
}

export function emptySchema(): Schema {
  return { tables: new Map(), indexes: new Map(), checks: new Map() }
}

/** A deep copy: the analyzer and tracer evolve their copy and leave the caller's schema as it was. */
export function cloneSchema(schema: Schema): Schema {
  const tables = new Map(
    [...schema.tables].map(([k, t]) => [
      k,
      {
        ...t,
        columns: new Map(
          [...t.columns].map(([c, info]) => [c, { ...info, type: { ...info.type, mods: [...info.type.mods] } }]),
        ),
      },
    ]),
  )
  const indexes = new Map([...schema.indexes].map(([k, i]) => [k, { ...i, columns: [...i.columns] }]))
  const checks = new Map([...schema.checks].map(([k, c]) => [k, { ...c }]))
  return { ...schema, tables, indexes, checks }
}

/** Tables with a column of this type (a domain, by its last name, as the rules compare types), in key order. */
export function tablesUsingType(schema: Schema, typeName: string): string[] {
  const name = typeName.toLowerCase()
  return [...schema.tables]
    .filter(([, t]) => [...t.columns.values()].some((c) => c.type.name === name && !c.type.array))
    .map(([key]) => key)
    .sort()
}

export function schemaOf(key: string): string {
  return key.slice(0, key.indexOf("."))
}

/** Folds a DDL statement into the schema; statements it does not model leave it unchanged. */
export function applyDdl(schema: Schema, node: Node): void {
  const create = pick(node, "CreateStmt")
  if (create) {
    const table = relationKey(create.relation)
    schema.tables.set(table, { columns: new Map() })
    for (const element of create.tableElts ?? []) {
      const def = pick(element, "ColumnDef")
      if (def) addColumn(schema, table, def)
      const con = pick(element, "Constraint")
      if (con) addConstraint(schema, table, con)
    }
    return
  }
  const index = pick(node, "IndexStmt")
  if (index) {
    const table = relationKey(index.relation)
    if (index.idxname)
      schema.indexes.set(
        qualify(schemaOf(table), index.idxname),
        indexInfo(table, index.indexParams, index.unique === true),
      )
    return
  }
  const alter = pick(node, "AlterTableStmt")
  if (alter) {
    const table = relationKey(alter.relation)
    for (const item of alter.cmds ?? []) applyAlter(schema, table, pick(item, "AlterTableCmd"))
    return
  }
  const rename = pick(node, "RenameStmt")
  if (rename) return applyRename(schema, rename)
  const drop = pick(node, "DropStmt")
  if (drop) {
    for (const object of drop.objects ?? []) {
      const key = nameKey(strings(pick(object, "List")?.items))
      if (drop.removeType === "OBJECT_TABLE") dropTable(schema, key)
      if (drop.removeType === "OBJECT_INDEX") schema.indexes.delete(key)
    }
  }
}

function applyAlter(
  schema: Schema,
  table: string,
  cmd: NonNullable<ReturnType<typeof pick<"AlterTableCmd">>> | undefined,
): void {
  if (!cmd) return
  const info = schema.tables.get(table)
  const column = cmd.name ? info?.columns.get(cmd.name) : undefined
  switch (cmd.subtype) {
    case "AT_AddColumn": {
      const def = pick(cmd.def, "ColumnDef")
      if (def) addColumn(schema, table, def)
      return
    }
    case "AT_DropColumn":
      info?.columns.delete(cmd.name ?? "")
      return
    case "AT_AlterColumnType": {
      const def = pick(cmd.def, "ColumnDef")
      if (column && def) column.type = columnType(def.typeName)
      return
    }
    case "AT_SetNotNull":
      if (column) column.notNull = true
      return
    case "AT_DropNotNull":
      if (column) column.notNull = false
      return
    case "AT_AddConstraint": {
      const con = pick(cmd.def, "Constraint")
      if (con) addConstraint(schema, table, con)
      return
    }
    case "AT_ValidateConstraint": {
      const check = schema.checks.get(`${table}.${cmd.name}`)
      if (check) check.validated = true
      return
    }
    case "AT_DropConstraint":
      schema.checks.delete(`${table}.${cmd.name}`)
      schema.indexes.delete(qualify(schemaOf(table), cmd.name ?? ""))
      return
  }
}

function applyRename(schema: Schema, rename: NonNullable<ReturnType<typeof pick<"RenameStmt">>>): void {
  const key = relationKey(rename.relation)
  const newName = rename.newname ?? ""
  if (rename.renameType === "OBJECT_TABLE") {
    const info = schema.tables.get(key)
    if (!info) return
    const newKey = qualify(schemaOf(key), newName)
    schema.tables.delete(key)
    schema.tables.set(newKey, info)
    for (const index of schema.indexes.values()) if (index.table === key) index.table = newKey
    for (const check of schema.checks.values()) if (check.table === key) check.table = newKey
  } else if (rename.renameType === "OBJECT_COLUMN") {
    const columns = schema.tables.get(key)?.columns
    const column = columns?.get(rename.subname ?? "")
    if (columns && column) {
      const old = rename.subname ?? ""
      columns.delete(old)
      columns.set(newName, column)
      for (const index of schema.indexes.values())
        if (index.table === key) index.columns = index.columns.map((c) => (c === old ? newName : c))
      for (const check of schema.checks.values())
        if (check.table === key && check.notNullColumn === old) check.notNullColumn = newName
    }
  } else if (rename.renameType === "OBJECT_INDEX") {
    const index = schema.indexes.get(key)
    if (index) {
      schema.indexes.delete(key)
      schema.indexes.set(qualify(schemaOf(key), newName), index)
    }
  }
}

function dropTable(schema: Schema, key: string): void {
  schema.tables.delete(key)
  for (const [name, index] of schema.indexes) if (index.table === key) schema.indexes.delete(name)
  for (const [name, check] of schema.checks) if (check.table === key) schema.checks.delete(name)
}

function addColumn(schema: Schema, table: string, def: ColumnDef): void {
  if (!def.colname) return
  // A table the schema does not know still gets the columns the migrations add to it.
  const info = schema.tables.get(table) ?? { columns: new Map<string, ColumnInfo>() }
  schema.tables.set(table, info)
  const constraints = (def.constraints ?? [])
    .map((c) => pick(c, "Constraint"))
    .filter((c): c is Constraint => c !== undefined)
  const notNull =
    def.is_not_null === true ||
    constraints.some(
      (c) => c.contype === "CONSTR_NOTNULL" || c.contype === "CONSTR_PRIMARY" || c.contype === "CONSTR_IDENTITY",
    )
  info.columns.set(def.colname, { type: columnType(def.typeName), notNull })
  for (const con of constraints) {
    if (con.contype === "CONSTR_PRIMARY" || con.contype === "CONSTR_UNIQUE") {
      const bare = table.slice(table.indexOf(".") + 1)
      const name = con.conname ?? (con.contype === "CONSTR_PRIMARY" ? `${bare}_pkey` : `${bare}_${def.colname}_key`)
      schema.indexes.set(qualify(schemaOf(table), name), { table, columns: [def.colname], unique: true })
    }
  }
}

function addConstraint(schema: Schema, table: string, con: Constraint): void {
  if (con.contype === "CONSTR_CHECK" && con.conname) {
    const test = pick(con.raw_expr, "NullTest")
    const column = test?.nulltesttype === "IS_NOT_NULL" ? strings(pick(test.arg, "ColumnRef")?.fields) : []
    schema.checks.set(`${table}.${con.conname}`, {
      table,
      ...(column.length === 1 ? { notNullColumn: column[0]! } : {}),
      validated: con.skip_validation !== true,
    })
  }
  if ((con.contype === "CONSTR_PRIMARY" || con.contype === "CONSTR_UNIQUE") && con.conname) {
    const using = con.indexname ? schema.indexes.get(qualify(schemaOf(table), con.indexname)) : undefined
    if (using) schema.indexes.delete(qualify(schemaOf(table), con.indexname!))
    const columns = using?.columns ?? strings(con.keys)
    schema.indexes.set(qualify(schemaOf(table), con.conname), { table, columns, unique: true })
    if (con.contype === "CONSTR_PRIMARY")
      for (const c of columns) {
        const col = schema.tables.get(table)?.columns.get(c)
        if (col) col.notNull = true
      }
  }
}

function indexInfo(table: string, params: Node[] | undefined, unique: boolean): IndexInfo {
  return { table, columns: (params ?? []).map((p) => pick(p, "IndexElem")?.name ?? ""), unique }
}
