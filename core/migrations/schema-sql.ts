/**
 * Reads the target's schema from DDL as `pg_dump --schema-only` writes it (the --schema FILE input).
 * A dump with no tables is valid: it is the database before its first migration. An empty file
 * (what a failed `pg_dump > schema.sql` leaves) is not, although the parser reads it as no statements.
 */
import { parseFile } from "./parse.js"
import { type Schema, applyDdl, emptySchema } from "./schema.js"
import type { SqlFile } from "./sql-file.js"

export type SchemaResult = { ok: true; schema: Schema } | { ok: false; message: string }

export async function schemaFromSql(file: SqlFile): Promise<SchemaResult> {
  if (file.content === "")
    return {
      ok: false,
      message: `${file.path}:1: the schema is empty (what a failed pg_dump leaves); pass the output of pg_dump --schema-only`,
    }
  const parsed = await parseFile(file)
  if (parsed.syntaxError) {
    return {
      ok: false,
      message: `${file.path}:${parsed.syntaxError.line}: PostgreSQL cannot parse the schema (${parsed.syntaxError.message}); pass the output of pg_dump --schema-only`,
    }
  }
  const schema = emptySchema()
  for (const stmt of parsed.statements) applyDdl(schema, stmt.node)
  return { ok: true, schema }
}
