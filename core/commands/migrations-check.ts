/**
 * `migrations check FILE|DIR... [--schema FILE | --database URL] [--pg-version N] [--format text|json]`:
 * static analysis of the SQL that `manage.py sqlmigrate` prints. Not ok when any finding is an error.
 * Files arrive already read; the only side effect, reading a live schema, is injected.
 */
import { analyzeFiles } from "../migrations/analyze.js"
import { connect } from "../migrations/pg-client.js"
import { type PgVersion, formatPgVersion, parsePgVersion } from "../migrations/pg-version.js"
import { redactUrl } from "../migrations/read-inputs.js"
import { renderFindingsJson, renderFindingsText } from "../migrations/render.js"
import { schemaFromDatabase } from "../migrations/schema-db.js"
import { schemaFromSql } from "../migrations/schema-sql.js"
import type { Schema } from "../migrations/schema.js"
import type { SqlFile } from "../migrations/sql-file.js"
import { DEFAULT_PG_VERSION } from "../migrations/pg-version.js"
import { type Outcome, failure, jsonDocument, success } from "./outcome.js"

export interface MigrationsCheckOptions {
  /** --schema FILE: the target's current schema, as `pg_dump --schema-only` writes it. */
  schema?: SqlFile
  /** --database URL: read the schema, version and function volatility from the target itself. */
  database?: string
  /** --pg-version: "15" or "14.3"; overrides the version read from --database. */
  pgVersion?: string
  format?: "text" | "json"
}

export interface MigrationsCheckDeps {
  /** Reads the target's schema; defaults to a pg connection and schemaFromDatabase. */
  readDatabaseSchema?: (url: string) => Promise<Schema>
}

export async function migrationsCheck(
  files: readonly SqlFile[],
  options: MigrationsCheckOptions = {},
  deps: MigrationsCheckDeps = {},
): Promise<Outcome> {
  if (files.length === 0)
    return failure("input-missing", "no SQL files to check; pass FILE or DIR with the output of manage.py sqlmigrate")
  if (options.schema && options.database)
    return failure("invalid-option", "pass --schema FILE or --database URL, not both")
  let version: PgVersion | undefined
  if (options.pgVersion !== undefined) {
    version = parsePgVersion(options.pgVersion)
    if (!version)
      return failure(
        "invalid-option",
        `--pg-version "${options.pgVersion}" is not a PostgreSQL version; pass a major such as 15, or major.minor such as 14.3`,
      )
  }
  let schema: Schema | undefined
  let source = "schema unknown"
  if (options.schema) {
    const read = await schemaFromSql(options.schema)
    if (!read.ok) return failure("schema-invalid", read.message)
    schema = read.schema
    source = `schema from ${options.schema.path}${schema.tables.size === 0 ? ": no tables" : ""}`
  } else if (options.database) {
    try {
      schema = await (deps.readDatabaseSchema ?? readLiveSchema)(options.database)
    } catch (error) {
      return failure(
        "database-unreadable",
        `cannot read the schema from ${redactUrl(options.database)}: ${(error as Error).message}; check the URL, or pass --schema FILE (pg_dump --schema-only)`,
      )
    }
    source = `schema from ${redactUrl(options.database)}`
  }
  const findings = await analyzeFiles(files, { ...(version ? { version } : {}), ...(schema ? { schema } : {}) })
  const context = `${files.length} file${files.length === 1 ? "" : "s"}, PostgreSQL ${formatPgVersion(version ?? schema?.version ?? DEFAULT_PG_VERSION)}, ${source}`
  const ok = !findings.some((f) => f.severity === "error")
  if (options.format === "json") return jsonDocument(ok, renderFindingsJson(findings))
  const text = renderFindingsText(findings, context)
  return ok ? success(text) : failure("migration-errors", text)
}

async function readLiveSchema(url: string): Promise<Schema> {
  const db = await connect(url, "deploy-pipeline-check")
  try {
    return await schemaFromDatabase(db)
  } finally {
    await db.end()
  }
}
