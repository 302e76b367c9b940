/** The CLI's `migrations check|trace FILE|DIR...`: reads the SQL files, then runs the pure commands. */
import { migrationsCheck } from "../commands/migrations-check.js"
import { migrationsTrace } from "../commands/migrations-trace.js"
import { type Outcome, failure } from "../commands/outcome.js"
import { InputError, readSqlInputs } from "../migrations/read-inputs.js"
import { readFile } from "node:fs/promises"

export interface MigrationsCliOptions {
  paths: readonly string[]
  schema?: string
  database?: string
  pgVersion?: string
  format?: string
  inPlace?: boolean
}

export async function migrationsCommand(sub: string, options: MigrationsCliOptions): Promise<Outcome | string> {
  if (sub !== "check" && sub !== "trace") return `unknown command "migrations ${sub}"; use migrations check or migrations trace`
  if (options.paths.length === 0) return `migrations ${sub} needs FILE|DIR arguments: the SQL that manage.py sqlmigrate prints`
  if (options.format !== undefined && options.format !== "text" && options.format !== "json") return `--format takes text or json; got "${options.format}"`
  const format = options.format === "json" ? "json" : "text"
  try {
    const files = await readSqlInputs(options.paths)
    if (sub === "trace") {
      if (!options.database) return "migrations trace needs --database URL (a server it may create a scratch copy on)"
      return await migrationsTrace(files, { database: options.database, format, ...(options.inPlace ? { inPlace: true } : {}) })
    }
    if (options.schema && options.database) return "pass --schema FILE or --database URL, not both"
    const schema = options.schema ? { path: options.schema, content: await readSchema(options.schema) } : undefined
    return await migrationsCheck(files, { format, ...(schema ? { schema } : {}), ...(options.database ? { database: options.database } : {}), ...(options.pgVersion ? { pgVersion: options.pgVersion } : {}) })
  } catch (error) {
    if (error instanceof InputError) return failure(error.message)
    throw error
  }
}

async function readSchema(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8")
  } catch {
    throw new InputError(`no schema file ${path}; write one with pg_dump --schema-only`)
  }
}
