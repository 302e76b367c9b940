/**
 * Column types as the rules compare them (`varchar(100)`, `numeric(10,2)`), read the same way from a
 * migration's TypeName, from pg_dump DDL and from the server's format_type(), so one comparison
 * serves all three. `rewriteNeeded` is PostgreSQL's binary-coercion knowledge for ALTER COLUMN TYPE.
 */
import { type TypeName, parseSync } from "libpg-query"
import { intValue, pick, strings } from "./ast.js"

export interface ColumnType {
  /** Canonical internal name: varchar, text, int4, int8, numeric, timestamptz, bpchar, jsonb, … */
  name: string
  mods: number[]
  array: boolean
}

const ALIASES: Record<string, string> = {
  integer: "int4",
  int: "int4",
  smallint: "int2",
  bigint: "int8",
  serial4: "serial",
  serial8: "bigserial",
  serial2: "smallserial",
  character: "bpchar",
  char: "bpchar",
  decimal: "numeric",
  boolean: "bool",
  real: "float4",
  float: "float8",
}

export function columnType(typeName: TypeName | undefined): ColumnType {
  const names = strings(typeName?.names)
  const last = (names[names.length - 1] ?? "").toLowerCase()
  const mods = (typeName?.typmods ?? []).map((m) => intValue(m)).filter((m): m is number => m !== undefined)
  return { name: ALIASES[last] ?? last, mods, array: (typeName?.arrayBounds?.length ?? 0) > 0 }
}

/** Reads a type as format_type() or pg_dump prints it (`character varying(100)`). Needs the parser loaded. */
export function typeFromText(text: string): ColumnType | undefined {
  try {
    const tree = parseSync(`SELECT NULL::${text}`)
    const select = pick(tree.stmts?.[0]?.stmt, "SelectStmt")
    const cast = pick(pick(select?.targetList?.[0], "ResTarget")?.val, "TypeCast")
    return cast ? columnType(cast.typeName) : undefined
  } catch {
    return undefined
  }
}

const DISPLAY: Record<string, string> = {
  int4: "integer",
  int8: "bigint",
  int2: "smallint",
  bpchar: "char",
  bool: "boolean",
  float8: "double precision",
  float4: "real",
}

export function formatType(type: ColumnType): string {
  const base = DISPLAY[type.name] ?? type.name
  return `${base}${type.mods.length > 0 ? `(${type.mods.join(",")})` : ""}${type.array ? "[]" : ""}`
}

/** Types whose typmod is a maximum: widening it or dropping it keeps every stored value valid as is. */
const BOUNDED = new Set(["varchar", "varbit"])
/** Types whose typmod is a fractional-seconds precision (default 6); raising it skips the rewrite. */
const PRECISION = new Set(["timestamp", "timestamptz", "time", "timetz"])
/** Casts PostgreSQL performs without a function (pg_cast castmethod 'b'), so the data is kept as is. */
const BINARY: ReadonlySet<string> = new Set([
  "varchar>text",
  "text>varchar",
  "cidr>inet",
  "xml>text",
  "xml>varchar",
  "citext>text",
  "text>citext",
  "varchar>citext",
  "citext>varchar",
  "bit>varbit",
])

/**
 * Whether ALTER COLUMN … TYPE from `from` to `to` rewrites the table (and its indexes). False only
 * for changes PostgreSQL does in the catalog: widening varchar/numeric/time precision, varchar ↔ text,
 * cidr → inet. timestamp → timestamptz counts as a rewrite: it is skipped only when TimeZone is UTC.
 */
export function rewriteNeeded(from: ColumnType, to: ColumnType): boolean {
  if (from.array !== to.array) return true
  if (from.name === to.name) {
    if (sameMods(from.mods, to.mods)) return false
    if (from.array) return true
    if (BOUNDED.has(from.name)) return to.mods.length > 0 && (from.mods.length === 0 || to.mods[0]! < from.mods[0]!)
    if (from.name === "numeric") {
      if (to.mods.length === 0) return false
      if (from.mods.length === 0) return true
      return (to.mods[1] ?? 0) !== (from.mods[1] ?? 0) || to.mods[0]! < from.mods[0]!
    }
    if (PRECISION.has(from.name)) return (to.mods[0] ?? 6) < (from.mods[0] ?? 6)
    return true
  }
  if (from.array) return true
  if (!BINARY.has(`${from.name}>${to.name}`)) return true
  // A binary cast to a bounded type still checks (and may truncate) every value unless the target is unbounded.
  return BOUNDED.has(to.name) && to.mods.length > 0
}

function sameMods(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i])
}
