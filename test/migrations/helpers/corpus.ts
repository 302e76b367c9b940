/** Reads the corpus fixtures and the schema fixture for the tests and the benchmark. */
import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { schemaFromSql } from "../../../core/migrations/schema-sql.js"
import type { Schema } from "../../../core/migrations/schema.js"
import type { SqlFile } from "../../../core/migrations/sql-file.js"
import { CORPUS_DIR, SCHEMA_FIXTURE } from "../corpus-cases.js"

export function corpusFile(name: string): SqlFile {
  return { path: name, content: readFileSync(join(CORPUS_DIR, name), "utf8") }
}

export function corpusFileNames(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()
}

export const schemaFixtureText = (): string => readFileSync(SCHEMA_FIXTURE, "utf8")

export async function fixtureSchema(): Promise<Schema> {
  const result = await schemaFromSql({ path: SCHEMA_FIXTURE, content: schemaFixtureText() })
  if (!result.ok) throw new Error(result.message)
  return result.schema
}
