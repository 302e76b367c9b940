/**
 * The CLI's reading of SQL arguments (FILE|DIR, --migrations, --schema): a missing or empty input is
 * an input-missing PipelineError. core/migrations/read-inputs.ts throws its own InputError, which
 * does not extend the base yet (that folder has another owner), so it is turned into one here.
 */
import { readFile } from "node:fs/promises"
import { PipelineError } from "../errors/pipeline-error.js"
import { InputError, readSqlInputs } from "../migrations/read-inputs.js"
import type { SqlFile } from "../migrations/sql-file.js"

export class SqlInputError extends PipelineError {
  override readonly name = "SqlInputError"
  readonly code = "input-missing"
}

export async function readSqlArguments(paths: readonly string[]): Promise<SqlFile[]> {
  try {
    return await readSqlInputs(paths)
  } catch (error) {
    if (error instanceof InputError) throw new SqlInputError(error.message, { cause: error })
    throw error
  }
}

export async function readSchemaFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8")
  } catch (error) {
    throw new SqlInputError(`no schema file ${path}; write one with pg_dump --schema-only`, { cause: error })
  }
}
