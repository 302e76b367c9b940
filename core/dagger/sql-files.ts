/** Reads the .sql files of a Dagger Directory for the migration analyzer, sorted by name. */
import type { Directory } from "@dagger.io/dagger"
import type { SqlFile } from "../migrations/sql-file.js"

export async function readSqlFiles(dir: Directory, label: string): Promise<SqlFile[]> {
  const names = (await dir.entries()).filter((name) => name.endsWith(".sql")).sort()
  return Promise.all(
    names.map(async (name) => ({ path: `${label}/${name}`, content: await dir.file(name).contents() })),
  )
}
