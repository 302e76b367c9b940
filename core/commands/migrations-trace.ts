/**
 * `migrations trace FILE|DIR... --database URL [--in-place] [--format text|json]`: runs the SQL on a
 * scratch copy of the target (a new database on the same server with its schema and a sample of its
 * rows, dropped afterwards), in a transaction that is always rolled back (statements that cannot run
 * in one: on their own, watched), and reports each statement's locks, rows read, rewrites and time,
 * with lock time estimated from the target's table sizes. A statement that fails on the traced data
 * fails the trace. --in-place traces on URL itself, for a database that already is a scratch copy;
 * it must be left exactly as it was.
 */
import { connect } from "../migrations/pg-client.js"
import { redactUrl } from "../migrations/read-inputs.js"
import { renderTraceJson, renderTraceText } from "../migrations/render.js"
import { schemaFromDatabase } from "../migrations/schema-db.js"
import type { Schema } from "../migrations/schema.js"
import type { SqlFile } from "../migrations/sql-file.js"
import { SAMPLE_ROWS, type SampleResult } from "../migrations/trace/sample.js"
import { type SchemaDumper, createScratchCopy } from "../migrations/trace/scratch.js"
import { type TraceResult, traceMigrations } from "../migrations/trace/tracer.js"
import { type Outcome, failure, jsonDocument, success } from "./outcome.js"

export interface MigrationsTraceOptions {
  /** --database URL: the target; its schema is copied and its table sizes feed the estimates. */
  database: string
  /** --in-place: trace on URL itself instead of a copy (it must be a scratch database). */
  inPlace?: boolean
  format?: "text" | "json"
}

export interface MigrationsTraceDeps {
  /** Produces the target's schema as SQL for the scratch copy; defaults to pg_dump, one section at a time. */
  dumpSchema?: SchemaDumper
  readDatabaseSchema?: (url: string) => Promise<Schema>
}

export async function migrationsTrace(
  files: readonly SqlFile[],
  options: MigrationsTraceOptions,
  deps: MigrationsTraceDeps = {},
): Promise<Outcome> {
  if (files.length === 0)
    return failure("input-missing", "no SQL files to trace; pass FILE or DIR with the output of manage.py sqlmigrate")
  if (!options.database)
    return failure(
      "missing-option",
      "migrations trace needs --database URL (the target, whose schema is copied to a scratch database)",
    )
  const where = redactUrl(options.database)
  let target: Schema
  try {
    target = await (deps.readDatabaseSchema ?? readLiveSchema)(options.database)
  } catch (error) {
    return failure(
      "database-unreadable",
      `cannot read the schema from ${where}: ${(error as Error).message}; check the URL and that the server is up`,
    )
  }
  let result: TraceResult
  let traced: string
  try {
    if (options.inPlace) {
      traced = `${where} (in place)`
      result = await traceMigrations({ files, url: options.database, disposable: false, target })
    } else {
      const scratch = await createScratchCopy(options.database, deps.dumpSchema ? { dump: deps.dumpSchema } : {})
      traced = `a scratch copy of ${where} (${scratch.name}: its schema and ${sampleSummary(scratch.sample)}; dropped)`
      try {
        result = await traceMigrations({ files, url: scratch.url, disposable: true, target })
      } finally {
        await scratch.drop()
      }
    }
  } catch (error) {
    return failure("trace-failed", `trace failed on ${where}: ${(error as Error).message}`)
  }
  // A statement that fails on the traced database fails the trace; so does an in-place trace that changed it.
  const failed =
    result.statements.some((s) => s.error !== undefined) || (options.inPlace === true && result.changed.length > 0)
  if (options.format === "json") return jsonDocument(!failed, renderTraceJson(result, traced))
  const text = renderTraceText(result, traced)
  return failed ? failure("trace-errors", text) : success(text)
}

function sampleSummary(sample: SampleResult): string {
  const rows = sample.rows.reduce((n, t) => n + t.rows, 0)
  const kept =
    rows === 0
      ? "no rows (the target's tables are empty)"
      : `${rows} sampled rows in ${sample.rows.length} table${sample.rows.length === 1 ? "" : "s"}, up to ${SAMPLE_ROWS} each`
  return sample.skipped.length === 0
    ? kept
    : `${kept}; rows of ${sample.skipped.map((s) => `${s.table} (${s.reason})`).join(", ")} could not be copied`
}

async function readLiveSchema(url: string): Promise<Schema> {
  const db = await connect(url, "deploy-pipeline-trace")
  try {
    return await schemaFromDatabase(db)
  } finally {
    await db.end()
  }
}
