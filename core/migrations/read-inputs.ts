/** Reads the FILE|DIR arguments of `migrations check|trace` (the CLI's edge): a folder gives its .sql files, sorted by path. */
import { readFile, readdir, stat } from "node:fs/promises"
import { join } from "node:path"
import type { SqlFile } from "./sql-file.js"

export class InputError extends Error {}

export async function readSqlInputs(paths: readonly string[]): Promise<SqlFile[]> {
  const files: SqlFile[] = []
  for (const path of paths) {
    let info
    try {
      info = await stat(path)
    } catch {
      throw new InputError(
        `no file or folder ${path}; pass the SQL that manage.py sqlmigrate prints, saved as .sql files`,
      )
    }
    if (info.isDirectory()) {
      const names = (await listSql(path)).sort()
      if (names.length === 0)
        throw new InputError(`no .sql files in ${path}; save each migration's sqlmigrate output there as NNNN_name.sql`)
      files.push(
        ...(await Promise.all(names.map(async (name) => ({ path: name, content: await readFile(name, "utf8") })))),
      )
    } else files.push({ path, content: await readFile(path, "utf8") })
  }
  return files
}

async function listSql(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await listSql(full)))
    else if (entry.isFile() && entry.name.endsWith(".sql")) out.push(full)
  }
  return out
}

/** A database URL fit for messages: the password is replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = "***"
    return parsed.toString()
  } catch {
    return "(unparsable URL)"
  }
}
