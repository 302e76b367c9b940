/**
 * Reads the target's schema from a live database (the --database URL input): column types via
 * format_type, NOT NULL checks and indexes via their definitions (parsed like a pg_dump), table
 * sizes for lock-time estimates, function volatility, and the server version.
 */
import { parseSync } from "libpg-query"
import { qualify } from "./ast.js"
import { typeFromText } from "./column-type.js"
import { loadParser } from "./parse.js"
import type { Queryable } from "./pg-client.js"
import { fromServerVersionNum } from "./pg-version.js"
import { type Schema, applyDdl, emptySchema } from "./schema.js"

const USER_SCHEMAS =
  "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"

export const COLUMNS_SQL = `SELECT n.nspname AS schema, c.relname AS table, c.reltuples::float8 AS rows, pg_total_relation_size(c.oid)::float8 AS bytes,
  a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMAS}
ORDER BY n.nspname, c.relname, a.attnum`

export const DEFINITIONS_SQL = `SELECT pg_get_indexdef(i.indexrelid) AS ddl
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS}
UNION ALL
SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid))
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'c' AND ${USER_SCHEMAS}`

export const FUNCTIONS_SQL =
  "SELECT proname AS name, bool_or(provolatile = 'v') AS volatile FROM pg_proc GROUP BY proname"

export async function schemaFromDatabase(db: Queryable): Promise<Schema> {
  await loadParser()
  const schema = emptySchema()
  const [version] = (await db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows
  schema.version = fromServerVersionNum(Number(version?.v ?? 0))
  const columns = await db.query<{
    schema: string
    table: string
    rows: number
    bytes: number
    column: string | null
    type: string | null
    not_null: boolean | null
  }>(COLUMNS_SQL)
  for (const row of columns.rows) {
    const key = qualify(row.schema, row.table)
    const table = schema.tables.get(key) ?? { columns: new Map(), rows: Math.max(0, row.rows), bytes: row.bytes }
    schema.tables.set(key, table)
    const type = row.type ? typeFromText(row.type) : undefined
    if (row.column && type) table.columns.set(row.column, { type, notNull: row.not_null === true })
  }
  for (const { ddl } of (await db.query<{ ddl: string }>(DEFINITIONS_SQL)).rows) {
    const node = parseSync(ddl).stmts?.[0]?.stmt
    if (node) applyDdl(schema, node)
  }
  const functions = (await db.query<{ name: string; volatile: boolean }>(FUNCTIONS_SQL)).rows
  schema.functions = {
    volatile: new Set(functions.filter((f) => f.volatile).map((f) => f.name)),
    known: new Set(functions.map((f) => f.name)),
  }
  return schema
}
